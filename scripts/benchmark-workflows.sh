#!/usr/bin/env bash
# Workflow benchmark (see benchmarks/README.md): a 10,000-node DAG in one request (release throughput and
# dependency-release latency), then P0 dispatch latency on an empty queue and behind 1,000,000 queued tasks.
# Runs the whole stack with the no-op fake claude and writes benchmarks/results/workflow-<timestamp>.md.
# BENCH_DAG_NODES, BENCH_DAG_WIDTH, BENCH_BACKLOG, BENCH_PROBES, BENCH_WORKERS, BENCH_SLOTS change the load.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
scripts/ensure-postgres.sh
if [ ! -d system-tests/target/lib ] || [ ! -f worker-agent/target/quarkus-app/quarkus-run.jar ] || [ "${TASKQ_REBUILD:-0}" = 1 ]; then
  ./mvnw -B -q -ntp package -DskipTests
fi
exec java -cp "system-tests/target/system-tests-0.1.0-SNAPSHOT.jar:system-tests/target/lib/*" \
  dev.taskq.systemtests.bench.WorkflowBenchmark .
