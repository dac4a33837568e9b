package dev.taskq.store.notification;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** One entry of a task's {@code notify} list: a named destination, or an inline one whose config holds secrets. */
@Entity
@Table(name = "task_notifications")
public class TaskNotificationEntity extends NotifyEntryColumns {

    @EmbeddedId
    public Key key;

    /** The task and the entry's index in its notify list. */
    @Embeddable
    public record Key(@Column(name = "task_id") UUID taskId, @Column(name = "position") int position) {}

    @Override
    public String toString() {
        return "TaskNotification[" + key + " " + (type == null ? destinationId : type) + "]";
    }
}
