package dev.taskq.worker.domain;

/** Why the worker killed a session's process tree. */
public enum KillReason {
    CANCELLED,
    TIMED_OUT
}
