#!/usr/bin/env bash
# Notifier benchmark: 10,000 lifecycle events to 100 webhook destinations, one of which hangs. Writes
# benchmarks/results/notifier-<timestamp>.md. Needs Postgres on 127.0.0.1:5432 (scripts/ensure-postgres.sh);
# starts its own Kafka broker. BENCH_EVENTS=N changes the event count.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
# Built in the reactor (-am), not installed: the local Maven repository may be shared with other builds.
./mvnw -B -ntp -pl notifier-service -am verify -Dtest=NotifierBenchmarkIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtaskq.bench=true -Dtaskq.bench.events="${BENCH_EVENTS:-10000}"
ls -t benchmarks/results/notifier-*.md | head -1
