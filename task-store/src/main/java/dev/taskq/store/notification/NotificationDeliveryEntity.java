package dev.taskq.store.notification;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.NotificationEventType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One event to one destination; its id is the {@code webhook-id} a receiver sees on every attempt. */
@Entity
@Table(name = "notification_deliveries")
public class NotificationDeliveryEntity {

    @Id
    public UUID id;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    /** The task the event is about; null for a workflow's or schedule's notice that created no task. */
    @Column(name = "task_id")
    public UUID taskId;

    /** The workflow a WORKFLOW_FINISHED (or a failed scheduled workflow run) is about. */
    @Column(name = "workflow_id")
    public UUID workflowId;

    /** The schedule a SCHEDULE_RUN_FAILED is about. */
    @Column(name = "schedule_id")
    public UUID scheduleId;

    @Enumerated(EnumType.STRING)
    @Column(name = "event_type", nullable = false)
    public NotificationEventType eventType;

    @Column(name = "destination_key", nullable = false)
    public String destinationKey;

    @Column(name = "destination_id")
    public UUID destinationId;

    /** An inline entry's position in its owner's notify list (the task's, the workflow's or the schedule template's). */
    @Column(name = "task_position")
    public Integer taskPosition;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ChannelType channel;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeliveryStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> event;

    @Column(name = "attempt_count")
    public int attemptCount;

    @Column(name = "retry_count")
    public int retryCount;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_response_code")
    public Integer lastResponseCode;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
