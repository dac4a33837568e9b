package dev.taskq.store.notification;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** A workflow's own notify entries. */
@ApplicationScoped
public class WorkflowNotificationRepository implements PanacheRepositoryBase<WorkflowNotificationEntity, WorkflowNotificationEntity.Key> {

    /** In the order the client listed them. */
    public List<WorkflowNotificationEntity> listFor(UUID workflowId) {
        return list("key.workflowId = ?1 order by key.position", workflowId);
    }
}
