package dev.taskq.worker.domain;

/** Why the worker killed a session's process tree. */
public enum KillReason {
    CANCELLED,
    TIMED_OUT,
    /** The worker shut down past its grace and hands the attempt back for another worker. */
    DRAINED
}
