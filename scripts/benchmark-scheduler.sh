#!/usr/bin/env bash
# Scheduler benchmark: 10,000 schedules due at the same instant, fired by 2 scheduler replicas; fire lateness p50/p99
# and throughput. Writes benchmarks/results/scheduler-<timestamp>.md. Needs Postgres on 127.0.0.1:5432
# (scripts/ensure-postgres.sh); no Kafka. BENCH_SCHEDULES=N and BENCH_REPLICAS=N change the load.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
# Built in the reactor (-am), not installed: the local Maven repository may be shared with other builds.
./mvnw -B -ntp -pl scheduler-service -am verify -Dtest=ScheduleFiringBenchmarkIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtaskq.bench=true -Dtaskq.bench.schedules="${BENCH_SCHEDULES:-10000}" -Dtaskq.bench.replicas="${BENCH_REPLICAS:-2}"
ls -t benchmarks/results/scheduler-*.md | head -1
