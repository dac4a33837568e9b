package dev.taskq.store.notification;

import dev.taskq.common.notification.ChannelType;
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

/** A named Discord, Telegram or webhook target; {@link #config} holds secrets and is never returned by the API. */
@Entity
@Table(name = "notification_destinations")
public class NotificationDestinationEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ChannelType type;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> config;

    public boolean enabled;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Never the config: it holds the secrets. */
    @Override
    public String toString() {
        return "NotificationDestination[" + id + " " + name + " " + type + "]";
    }
}
