package dev.taskq.store.notification;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads and writes of global subscriptions. */
@ApplicationScoped
public class NotificationSubscriptionRepository implements PanacheRepositoryBase<NotificationSubscriptionEntity, UUID> {

    /** Oldest first, so a listing is stable. */
    public List<NotificationSubscriptionEntity> listAllOrdered() {
        return list("order by createdAt, id");
    }
}
