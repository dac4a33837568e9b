package dev.taskq.store.persistence;

import jakarta.persistence.EntityManager;

/** Postgres NOTIFY, delivered to listeners when the current transaction commits (and deduplicated within it). */
public final class PgNotify {

    /** Channel on which dependency-service hears that a task became QUEUED. */
    public static final String TASK_READY_CHANNEL = "taskq_ready";

    private PgNotify() {}

    public static void send(EntityManager entityManager, String channel) {
        entityManager.createNativeQuery("select pg_notify(?1, '')").setParameter(1, channel).getSingleResult();
    }
}
