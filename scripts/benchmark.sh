#!/usr/bin/env bash
# Runs the benchmark (see benchmarks/README.md): builds if needed, ensures Postgres, runs the whole stack with
# the no-op fake claude, and writes the figures to benchmarks/results/. The optional argument names another
# benchmark class of system-tests' bench package (scripts/benchmark-workflows.sh passes WorkflowBenchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
scripts/ensure-postgres.sh
if [ ! -d system-tests/target/lib ] || [ ! -f worker-agent/target/quarkus-app/quarkus-run.jar ] || [ "${TASKQ_REBUILD:-0}" = 1 ]; then
  ./mvnw -B -q -ntp package -DskipTests
fi
exec java -cp "system-tests/target/system-tests-0.1.0-SNAPSHOT.jar:system-tests/target/lib/*" \
  "dev.taskq.systemtests.bench.${1:-Benchmark}" .
