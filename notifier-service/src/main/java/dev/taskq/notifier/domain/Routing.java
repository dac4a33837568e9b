package dev.taskq.notifier.domain;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.NotificationEventType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which destinations hear an event: the notify entries of what the event is about (a task, a workflow, or a
 * schedule's task template) plus every matching subscription.
 */
public final class Routing {

    private Routing() {}

    /** What a subscription's filters look at: the pools, priority and labels of what an event is about. */
    public interface Subject {

        UUID id();

        /** Whether the subject ran (or would run) in {@code pool}. */
        boolean inPool(String pool);

        int priority();

        Map<String, String> metadata();
    }

    /** What routing needs to know about the task an event is about. */
    public record TaskFacts(UUID id, String pool, int priority, Map<String, String> metadata) implements Subject {

        @Override
        public boolean inPool(String wanted) {
            return wanted.equals(pool);
        }
    }

    /**
     * A finished workflow: its labels, the pools its tasks ran in, and the highest priority among them (a pool filter
     * matches a workflow with any task in that pool; a minimum priority one with any task that urgent).
     */
    public record WorkflowFacts(UUID id, Set<String> pools, int priority, Map<String, String> metadata) implements Subject {

        @Override
        public boolean inPool(String wanted) {
            return pools.contains(wanted);
        }
    }

    /**
     * A schedule whose run failed, as its task template describes the task it creates (pool, priority, labels), with
     * the template's notify entries.
     */
    public record ScheduleFacts(UUID id, String pool, int priority, Map<String, String> metadata, List<NotifyEntry> entries)
            implements Subject {

        @Override
        public boolean inPool(String wanted) {
            return wanted.equals(pool);
        }
    }

    /** A global subscription of an enabled destination; empty events mean the defaults. */
    public record Subscription(UUID id, UUID destinationId, ChannelType channel, Set<NotificationEventType> events,
                               String pool, String labelKey, String labelValue, Integer minPriority) {

        boolean matches(NotificationEventType event, Subject subject) {
            return hears(events, event)
                    && (pool == null || subject.inPool(pool))
                    && (labelKey == null || (subject.metadata() != null && labelValue != null && labelValue.equals(subject.metadata().get(labelKey))))
                    && (minPriority == null || subject.priority() >= minPriority);
        }
    }

    /** One enabled entry of a notify list: a named destination (destinationId set) or an inline one. */
    public record NotifyEntry(int position, UUID destinationId, ChannelType channel, Set<NotificationEventType> events) {}

    /** Whose notify list an inline entry belongs to; it prefixes the entry's destination key. */
    public enum Owner {
        TASK("task:"),
        WORKFLOW("workflow:"),
        SCHEDULE("schedule:");

        private final String keyPrefix;

        Owner(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** The owner of an inline entry's destination key; null for a named destination ({@code dest:...}). */
        public static Owner ofKey(String destinationKey) {
            for (Owner owner : values()) {
                if (destinationKey.startsWith(owner.keyPrefix)) {
                    return owner;
                }
            }
            return null;
        }
    }

    /** A destination to deliver to; the key makes (event, destination) unique. */
    public record Route(String destinationKey, UUID destinationId, Integer taskPosition, ChannelType channel) {

        public static Route named(UUID destinationId, ChannelType channel) {
            return new Route("dest:" + destinationId, destinationId, null, channel);
        }

        public static Route inline(UUID taskId, int position, ChannelType channel) {
            return inline(Owner.TASK, taskId, position, channel);
        }

        public static Route inline(Owner owner, UUID ownerId, int position, ChannelType channel) {
            return new Route(owner.keyPrefix + ownerId + ":" + position, null, position, channel);
        }
    }

    /**
     * The routes of one task event, each destination once (a destination named by the task and matched by a
     * subscription gets one delivery), the task's entries first in their order.
     */
    public static List<Route> routes(NotificationEventType event, TaskFacts task, Collection<NotifyEntry> entries,
                                     Collection<Subscription> subscriptions) {
        return routes(event, Owner.TASK, task, entries.stream().filter(entry -> hears(entry.events(), event)).toList(), subscriptions);
    }

    /**
     * The routes of one event about {@code subject}: its {@code entries} (already those that hear the event) first, in
     * their order, then the matching subscriptions; each destination once.
     */
    public static List<Route> routes(NotificationEventType event, Owner owner, Subject subject, Collection<NotifyEntry> entries,
                                     Collection<Subscription> subscriptions) {
        Map<String, Route> routes = new LinkedHashMap<>();
        for (NotifyEntry entry : entries) {
            Route route = entry.destinationId() != null
                    ? Route.named(entry.destinationId(), entry.channel())
                    : Route.inline(owner, subject.id(), entry.position(), entry.channel());
            routes.putIfAbsent(route.destinationKey(), route);
        }
        for (Subscription subscription : subscriptions) {
            if (subscription.matches(event, subject)) {
                Route route = Route.named(subscription.destinationId(), subscription.channel());
                routes.putIfAbsent(route.destinationKey(), route);
            }
        }
        return new ArrayList<>(routes.values());
    }

    /** A workflow's own entries hear WORKFLOW_FINISHED when they name no events (the only event they may name). */
    public static boolean workflowEntryHears(NotifyEntry entry) {
        return entry.events() == null || entry.events().isEmpty() || entry.events().contains(NotificationEventType.WORKFLOW_FINISHED);
    }

    /**
     * A schedule template's entry hears a failed run when it names SCHEDULE_RUN_FAILED; one that names no events (the
     * task defaults, every ending) hears only the failures that created no task ({@code createdNothing}): when a run's
     * task failed, that task's own copy of the entry already announced it.
     */
    public static boolean scheduleEntryHears(NotifyEntry entry, boolean createdNothing) {
        Set<NotificationEventType> events = entry.events() == null ? EnumSet.noneOf(NotificationEventType.class) : entry.events();
        return events.contains(NotificationEventType.SCHEDULE_RUN_FAILED) || (events.isEmpty() && createdNothing);
    }

    static boolean hears(Set<NotificationEventType> events, NotificationEventType event) {
        return (events == null || events.isEmpty() ? NotificationEventType.defaults() : events).contains(event);
    }
}
