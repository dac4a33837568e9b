#!/usr/bin/env bash
# Starts the whole system locally, no Docker: Postgres (the server on 127.0.0.1:5432 if one answers, else an
# embedded one), a Kafka broker, and all five services. Prints the URLs; Ctrl-C stops everything.
# Options: --workers N (1), --slots N per worker (2), --claude PATH (the installed CLI, else `claude`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

if [ ! -f worker-agent/target/quarkus-app/quarkus-run.jar ] || [ ! -d local-infra/target/lib ] || [ "${TASKQ_REBUILD:-0}" = 1 ]; then
  echo "Building taskq (once; TASKQ_REBUILD=1 forces it)..."
  ./mvnw -B -q -ntp package -DskipTests
fi

claude_args=()
if ! printf '%s\n' "$@" | grep -qx -- '--claude'; then
  if command -v claude >/dev/null 2>&1; then
    claude_args=(--claude "$(command -v claude)")
  elif [ -x "${TASKQ_CACHE:-$HOME/.cache/taskq}/claude-code/2.1.197/node_modules/.bin/claude" ]; then
    claude_args=(--claude "${TASKQ_CACHE:-$HOME/.cache/taskq}/claude-code/2.1.197/node_modules/.bin/claude")
  else
    echo "No claude CLI found: install it with scripts/install-claude.sh (tasks fail until one is there)." >&2
  fi
fi

exec java -cp "local-infra/target/local-infra-0.1.0-SNAPSHOT.jar:local-infra/target/lib/*" \
  dev.taskq.localinfra.stack.LocalStackMain --repo . "${claude_args[@]}" "$@"
