package dev.taskq.worker.config;

/**
 * Who this worker is: its id in events and heartbeats, the host it runs on, and whether it runs as root.
 */
public record WorkerIdentity(String workerId, String host, boolean runsAsRoot) {}
