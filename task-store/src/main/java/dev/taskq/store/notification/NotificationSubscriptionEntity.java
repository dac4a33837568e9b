package dev.taskq.store.notification;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Sends the events of every task that passes its filters to one destination. */
@Entity
@Table(name = "notification_subscriptions")
public class NotificationSubscriptionEntity {

    @Id
    public UUID id;

    @Column(name = "destination_id", nullable = false)
    public UUID destinationId;

    /** NotificationEventType names; empty means the default set. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "event_types", nullable = false)
    public List<String> eventTypes;

    public String pool;

    @Column(name = "label_key")
    public String labelKey;

    @Column(name = "label_value")
    public String labelValue;

    @Column(name = "min_priority")
    public Short minPriority;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
