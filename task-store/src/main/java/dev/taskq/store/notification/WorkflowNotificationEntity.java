package dev.taskq.store.notification;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** One entry of a workflow's own {@code notify} list: a named destination, or an inline one whose config holds secrets. */
@Entity
@Table(name = "workflow_notifications")
public class WorkflowNotificationEntity extends NotifyEntryColumns {

    @EmbeddedId
    public Key key;

    /** The workflow and the entry's index in its notify list. */
    @Embeddable
    public record Key(@Column(name = "workflow_id") UUID workflowId, @Column(name = "position") int position) {}

    /** The same entry as a task's notify list holds it (checked by the same rules), for {@code workflowId}. */
    public static WorkflowNotificationEntity of(UUID workflowId, TaskNotificationEntity entry) {
        WorkflowNotificationEntity row = new WorkflowNotificationEntity();
        row.key = new Key(workflowId, entry.key.position());
        row.destinationId = entry.destinationId;
        row.type = entry.type;
        row.config = entry.config;
        row.eventTypes = entry.eventTypes;
        row.enabled = entry.enabled;
        return row;
    }

    @Override
    public String toString() {
        return "WorkflowNotification[" + key + " " + (type == null ? destinationId : type) + "]";
    }
}
