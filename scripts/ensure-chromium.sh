#!/usr/bin/env bash
# Makes sure Debian's Chromium and chromedriver (/usr/bin/chromium, /usr/bin/chromedriver) are installed for the
# dashboard's browser test (system-tests DashboardBrowserIT): installs packages chromium and chromium-driver with
# apt-get when either is missing, through sudo when not root. Idempotent. Selenium never downloads a browser or
# driver itself, so without them the browser test skips with a message.
set -euo pipefail

installed() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

if installed; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: no apt-get to install chromium and chromium-driver; the browser test will skip" >&2
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "ensure-chromium: need root (or sudo) to install chromium and chromium-driver; the browser test will skip" >&2
    exit 0
  fi
  as_root=(sudo)
fi
echo "ensure-chromium: installing chromium and chromium-driver with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >&2 || echo "ensure-chromium: apt-get update failed" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2 \
  || echo "ensure-chromium: apt-get install chromium chromium-driver failed" >&2
installed || echo "ensure-chromium: chromium or chromedriver is still absent; the browser test will skip" >&2
exit 0
