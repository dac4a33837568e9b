package dev.taskq.store.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The last heartbeat of a worker: its capacity and the pools it serves. */
@Entity
@Table(name = "workers")
public class WorkerEntity {

    @Id
    @Column(name = "worker_id")
    public String workerId;

    public String host;

    public int slots;

    @Column(name = "busy_slots")
    public int busySlots;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public String[] pools;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;
}
