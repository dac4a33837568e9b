package dev.taskq.store.notification;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** A task's notify entries. */
@ApplicationScoped
public class TaskNotificationRepository implements PanacheRepositoryBase<TaskNotificationEntity, TaskNotificationEntity.Key> {

    /** In the order the client listed them. */
    public List<TaskNotificationEntity> listFor(UUID taskId) {
        return list("key.taskId = ?1 order by key.position", taskId);
    }
}
