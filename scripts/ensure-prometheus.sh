#!/usr/bin/env bash
# Makes sure a Prometheus server binary is available for the ops tests (system-tests MetricsAndDashboardsIT):
# installs Debian's prometheus package when it is absent. The tests start their own server with a generated
# config; the Debian service is stopped/disabled if the package starts one, so nothing scrapes in the background.
# Best effort: without root or apt, the tests that need the binary skip with a message.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-prometheus: no prometheus binary and cannot apt-get install it; the Prometheus test will skip" >&2
  exit 0
fi
echo "ensure-prometheus: installing prometheus with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101 keeps the package from starting its own daemon (no init system runs here anyway).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
fi
apt-get update -qq >&2 || echo "ensure-prometheus: apt-get update failed" >&2
apt-get install -y -qq --no-install-recommends prometheus >&2 || echo "ensure-prometheus: apt-get install prometheus failed" >&2
[ "$created_policy" -eq 1 ] && rm -f "$policy"
command -v prometheus >/dev/null 2>&1 || echo "ensure-prometheus: prometheus is still absent; the Prometheus test will skip" >&2
exit 0
