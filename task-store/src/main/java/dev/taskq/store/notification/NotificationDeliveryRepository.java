package dev.taskq.store.notification;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads of deliveries for the API, and the row lock a redeliver takes. */
@ApplicationScoped
public class NotificationDeliveryRepository implements PanacheRepositoryBase<NotificationDeliveryEntity, UUID> {

    /** Newest first; served by notification_deliveries_task_idx, _workflow_idx, _schedule_idx or _status_idx. */
    public List<NotificationDeliveryEntity> search(UUID taskId, UUID workflowId, UUID scheduleId, DeliveryStatus status, int limit) {
        StringBuilder hql = new StringBuilder("from NotificationDeliveryEntity d where 1 = 1");
        if (taskId != null) {
            hql.append(" and d.taskId = :taskId");
        }
        if (workflowId != null) {
            hql.append(" and d.workflowId = :workflowId");
        }
        if (scheduleId != null) {
            hql.append(" and d.scheduleId = :scheduleId");
        }
        if (status != null) {
            hql.append(" and d.status = :status");
        }
        hql.append(" order by d.createdAt desc, d.id desc");
        TypedQuery<NotificationDeliveryEntity> query = getEntityManager().createQuery(hql.toString(), NotificationDeliveryEntity.class);
        if (taskId != null) {
            query.setParameter("taskId", taskId);
        }
        if (workflowId != null) {
            query.setParameter("workflowId", workflowId);
        }
        if (scheduleId != null) {
            query.setParameter("scheduleId", scheduleId);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
        return query.setMaxResults(limit).getResultList();
    }

    public Optional<NotificationDeliveryEntity> lockForUpdate(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<NotificationAttemptEntity> attemptsOf(UUID deliveryId) {
        return getEntityManager()
                .createQuery("from NotificationAttemptEntity a where a.key.deliveryId = :id order by a.key.attempt", NotificationAttemptEntity.class)
                .setParameter("id", deliveryId)
                .getResultList();
    }
}
