#!/usr/bin/env bash
# Fleet benchmark (see benchmarks/README.md): re-dispatch time after kill -9 of a worker, worker memory idle and per
# session, and the database cost of heartbeats from a large simulated fleet. Writes benchmarks/results/fleet-<timestamp>.md.
# BENCH_KILLS (20), BENCH_SIM_WORKERS (200) and BENCH_HEARTBEAT_SECONDS (60) change the load.
exec "$(dirname "$0")/benchmark.sh" FleetBenchmark
