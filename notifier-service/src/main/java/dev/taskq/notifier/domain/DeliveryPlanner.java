package dev.taskq.notifier.domain;

import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.notification.NotificationEventType;
import dev.taskq.notifier.persistence.DeliveryStore;
import dev.taskq.notifier.persistence.DeliveryStore.NewDelivery;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns a batch of lifecycle events into deliveries in one transaction: one per (event, destination), so a
 * redelivered event (same eventId) creates nothing twice.
 */
@ApplicationScoped
public class DeliveryPlanner {

    private static final Logger LOG = Logger.getLogger(DeliveryPlanner.class);

    private final DeliveryStore store;

    public DeliveryPlanner(DeliveryStore store) {
        this.store = store;
    }

    /** Returns how many deliveries were created; throws (so the batch is read again) if the database fails. */
    public int plan(List<TaskLifecycleEvent> events) {
        List<TaskLifecycleEvent> notifiable = events.stream()
                .filter(event -> NotificationEventType.of(event.status()).isPresent())
                .toList();
        if (notifiable.isEmpty()) {
            return 0;
        }
        Set<UUID> taskIds = notifiable.stream().map(TaskLifecycleEvent::taskId).collect(Collectors.toSet());
        return store.planAndInsert(reader -> {
            Map<UUID, Routing.TaskFacts> tasks = reader.tasks(taskIds);
            Map<UUID, List<Routing.NotifyEntry>> entries = reader.notifyEntries(taskIds);
            List<Routing.Subscription> subscriptions = reader.subscriptions();
            List<NewDelivery> deliveries = new ArrayList<>();
            for (TaskLifecycleEvent event : notifiable) {
                Routing.TaskFacts task = tasks.get(event.taskId());
                if (task == null) {
                    LOG.warnf("Event %s names task %s, which does not exist; nobody is notified", event.eventId(), event.taskId());
                    continue;
                }
                NotificationEventType type = NotificationEventType.of(event.status()).orElseThrow();
                for (Routing.Route route : Routing.routes(type, task, entries.getOrDefault(task.id(), List.of()), subscriptions)) {
                    deliveries.add(new NewDelivery(UUID.randomUUID(), event.eventId(), event.taskId(), type, route, snapshot(event)));
                }
            }
            return deliveries;
        });
    }

    /** The event's facts as the delivery keeps them, so every retry tells the same story. */
    static Map<String, Object> snapshot(TaskLifecycleEvent event) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("status", event.status().name());
        snapshot.put("attempt", event.attempt());
        if (event.reason() != null) {
            snapshot.put("reason", event.reason());
        }
        if (event.costUsd() != null) {
            snapshot.put("costUsd", event.costUsd().toPlainString());
        }
        if (event.at() != null) {
            snapshot.put("at", event.at().toString());
        }
        // Kept with the delivery: the task's question row may be answered (and a new one asked) before a retry.
        if (event.question() != null) {
            snapshot.put("question", event.question());
        }
        return snapshot;
    }
}
