package dev.taskq.store.notification;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes of notification destinations. */
@ApplicationScoped
public class NotificationDestinationRepository implements PanacheRepositoryBase<NotificationDestinationEntity, UUID> {

    public Optional<NotificationDestinationEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<NotificationDestinationEntity> findByNames(Collection<String> names) {
        return names.isEmpty() ? List.of() : list("name in ?1", names);
    }

    public List<NotificationDestinationEntity> listByName() {
        return list("order by name");
    }
}
