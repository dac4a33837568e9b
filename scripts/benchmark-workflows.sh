#!/usr/bin/env bash
# Workflow benchmark (see benchmarks/README.md): a 10,000-node DAG in one request (release throughput and
# dependency-release latency), then P0 dispatch latency on an empty queue and behind 1,000,000 queued tasks.
# Writes benchmarks/results/workflow-<timestamp>.md. BENCH_DAG_NODES, BENCH_DAG_WIDTH, BENCH_BACKLOG,
# BENCH_PROBES, BENCH_WORKERS, BENCH_SLOTS change the load.
exec "$(dirname "$0")/benchmark.sh" WorkflowBenchmark
