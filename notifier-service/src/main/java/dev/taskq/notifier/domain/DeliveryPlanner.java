package dev.taskq.notifier.domain;

import dev.taskq.common.event.ScheduleRunFailedEvent;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.event.WorkflowFinishedEvent;
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
 * Turns a batch of events (task lifecycle, finished workflows, failed schedule runs) into deliveries in one transaction:
 * one per (event, destination), so a redelivered event (same eventId) creates nothing twice.
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

    /**
     * Turns finished workflows into deliveries: the workflow's own notify entries, then subscriptions naming
     * WORKFLOW_FINISHED whose filters match (labels: the workflow's metadata; pool: any of its tasks'; priority: its most
     * urgent task's).
     */
    public int planWorkflows(List<WorkflowFinishedEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        Set<UUID> ids = events.stream().map(WorkflowFinishedEvent::workflowId).collect(Collectors.toSet());
        return store.planAndInsert(reader -> {
            Map<UUID, Routing.WorkflowFacts> workflows = reader.workflows(ids);
            Map<UUID, List<Routing.NotifyEntry>> entries = reader.workflowNotifyEntries(ids);
            List<Routing.Subscription> subscriptions = reader.subscriptions();
            List<NewDelivery> deliveries = new ArrayList<>();
            for (WorkflowFinishedEvent event : events) {
                Routing.WorkflowFacts workflow = workflows.get(event.workflowId());
                if (workflow == null) {
                    LOG.warnf("Event %s names workflow %s, which does not exist; nobody is notified", event.eventId(), event.workflowId());
                    continue;
                }
                List<Routing.NotifyEntry> hearing = entries.getOrDefault(workflow.id(), List.of()).stream()
                        .filter(Routing::workflowEntryHears).toList();
                for (Routing.Route route : Routing.routes(NotificationEventType.WORKFLOW_FINISHED, Routing.Owner.WORKFLOW, workflow,
                        hearing, subscriptions)) {
                    deliveries.add(new NewDelivery(UUID.randomUUID(), event.eventId(), null, event.workflowId(), null,
                            NotificationEventType.WORKFLOW_FINISHED, route, Notices.snapshot(event)));
                }
            }
            return deliveries;
        });
    }

    /**
     * Turns failed schedule runs into deliveries: the schedule task template's notify entries that hear it (see
     * {@link Routing#scheduleEntryHears}), then subscriptions naming SCHEDULE_RUN_FAILED whose filters match the template's
     * task (pool, priority, labels).
     */
    public int planScheduleRuns(List<ScheduleRunFailedEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        Set<UUID> ids = events.stream().map(ScheduleRunFailedEvent::scheduleId).collect(Collectors.toSet());
        return store.planAndInsert(reader -> {
            Map<UUID, Routing.ScheduleFacts> schedules = reader.schedules(ids);
            List<Routing.Subscription> subscriptions = reader.subscriptions();
            List<NewDelivery> deliveries = new ArrayList<>();
            for (ScheduleRunFailedEvent event : events) {
                Routing.ScheduleFacts schedule = schedules.get(event.scheduleId());
                if (schedule == null) {
                    LOG.warnf("Event %s names schedule %s, which does not exist; nobody is notified", event.eventId(), event.scheduleId());
                    continue;
                }
                boolean createdNothing = event.taskId() == null && event.workflowId() == null;
                List<Routing.NotifyEntry> hearing = schedule.entries().stream()
                        .filter(entry -> Routing.scheduleEntryHears(entry, createdNothing)).toList();
                for (Routing.Route route : Routing.routes(NotificationEventType.SCHEDULE_RUN_FAILED, Routing.Owner.SCHEDULE, schedule,
                        hearing, subscriptions)) {
                    deliveries.add(new NewDelivery(UUID.randomUUID(), event.eventId(), event.taskId(), event.workflowId(),
                            event.scheduleId(), NotificationEventType.SCHEDULE_RUN_FAILED, route, Notices.snapshot(event)));
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
