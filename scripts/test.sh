#!/usr/bin/env bash
# Runs every test against real infrastructure: installs/starts what a fresh machine lacks (a JDK >= 21 is
# expected; PostgreSQL and the pinned Claude CLI are installed and started here), then `mvnw verify`.
# Kafka needs nothing here: the tests start a real broker inside their JVM unless KAFKA_BOOTSTRAP_SERVERS is set.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/java-env.sh
scripts/ensure-postgres.sh
scripts/ensure-prometheus.sh
scripts/ensure-chromium.sh
# CliIT's asking fake claude calls the worker's MCP endpoint with curl, as a session's HTTP client would.
if ! command -v curl >/dev/null 2>&1; then
  echo "test.sh: installing curl with apt-get" >&2
  $([ "$(id -u)" -eq 0 ] || echo sudo) apt-get install -y -qq curl >&2
fi
TASKQ_CLAUDE_BIN="$(scripts/install-claude.sh | tail -n 1)"
export TASKQ_CLAUDE_BIN
echo "Using $(java -version 2>&1 | head -n 1) at $JAVA_HOME; Claude CLI $("$TASKQ_CLAUDE_BIN" --version)"

exec ./mvnw -B -ntp verify "$@"
