package dev.taskq.store.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The last heartbeat of a worker: its capacity, the pools it serves and its host readings. */
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

    // The host readings of the last heartbeat (the worker's resource gate); null when it sent none.

    @Column(name = "memory_available_bytes")
    public Long memoryAvailableBytes;

    @Column(name = "memory_total_bytes")
    public Long memoryTotalBytes;

    @Column(name = "cpu_busy")
    public Double cpuBusy;

    public Double load1;

    @Column(name = "gate_open")
    public Boolean gateOpen;
}
