package dev.taskq.store.notification;

import dev.taskq.common.notification.ChannelType;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One entry of a task's {@code notify} list: a named destination, or an inline one whose config holds secrets. */
@Entity
@Table(name = "task_notifications")
public class TaskNotificationEntity {

    @EmbeddedId
    public Key key;

    @Column(name = "destination_id")
    public UUID destinationId;

    @Enumerated(EnumType.STRING)
    public ChannelType type;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> config;

    /** NotificationEventType names; empty means the default set. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "event_types", nullable = false)
    public List<String> eventTypes;

    public boolean enabled;

    @Column(name = "disabled_reason")
    public String disabledReason;

    /** The task and the entry's index in its notify list. */
    @Embeddable
    public record Key(@Column(name = "task_id") UUID taskId, @Column(name = "position") int position) {}

    @Override
    public String toString() {
        return "TaskNotification[" + key + " " + (type == null ? destinationId : type) + "]";
    }
}
