package dev.taskq.store.notification;

import dev.taskq.common.notification.ChannelType;
import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.MappedSuperclass;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The columns every notify entry has, a task's or a workflow's: a named destination, or an inline one (type and a
 * config that holds secrets), the events it hears, and whether the notifier disabled it.
 */
@MappedSuperclass
public abstract class NotifyEntryColumns {

    @Column(name = "destination_id")
    public UUID destinationId;

    @Enumerated(EnumType.STRING)
    public ChannelType type;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> config;

    /** NotificationEventType names; empty means the owner's default set. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "event_types", nullable = false)
    public List<String> eventTypes;

    public boolean enabled;

    @Column(name = "disabled_reason")
    public String disabledReason;
}
