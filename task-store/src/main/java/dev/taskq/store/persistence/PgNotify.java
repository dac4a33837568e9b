package dev.taskq.store.persistence;

/**
 * The Postgres NOTIFY channels that wake dependency-service. Triggers of migration V6 raise them when the rows
 * change, so no writer sends them by hand; they are delivered when the transaction commits, deduplicated within it.
 */
public final class PgNotify {

    /** A task became QUEUED, or a dispatched or running task left that state (a worker slot came free). */
    public static final String TASK_READY_CHANNEL = "taskq_ready";

    /** A record was appended to the outbox. */
    public static final String OUTBOX_CHANNEL = "taskq_outbox";

    private PgNotify() {}
}
