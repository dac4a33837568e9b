package dev.taskq.notifier.domain;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.NotificationEventType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Decides which destinations hear an event: the task's own notify entries plus every matching subscription. */
public final class Routing {

    private Routing() {}

    /** What routing needs to know about the task an event is about. */
    public record TaskFacts(UUID id, String pool, int priority, Map<String, String> metadata) {}

    /** A global subscription of an enabled destination; empty events mean the defaults. */
    public record Subscription(UUID id, UUID destinationId, ChannelType channel, Set<NotificationEventType> events,
                               String pool, String labelKey, String labelValue, Integer minPriority) {

        boolean matches(NotificationEventType event, TaskFacts task) {
            return hears(events, event)
                    && (pool == null || pool.equals(task.pool()))
                    && (labelKey == null || (task.metadata() != null && labelValue != null && labelValue.equals(task.metadata().get(labelKey))))
                    && (minPriority == null || task.priority() >= minPriority);
        }
    }

    /** One enabled entry of a task's notify list: a named destination (destinationId set) or an inline one. */
    public record NotifyEntry(int position, UUID destinationId, ChannelType channel, Set<NotificationEventType> events) {}

    /** A destination to deliver to; the key makes (event, destination) unique. */
    public record Route(String destinationKey, UUID destinationId, Integer taskPosition, ChannelType channel) {

        public static Route named(UUID destinationId, ChannelType channel) {
            return new Route("dest:" + destinationId, destinationId, null, channel);
        }

        public static Route inline(UUID taskId, int position, ChannelType channel) {
            return new Route("task:" + taskId + ":" + position, null, position, channel);
        }
    }

    /**
     * The routes of one event, each destination once (a destination named by the task and matched by a
     * subscription gets one delivery), the task's entries first in their order.
     */
    public static List<Route> routes(NotificationEventType event, TaskFacts task, Collection<NotifyEntry> entries,
                                     Collection<Subscription> subscriptions) {
        Map<String, Route> routes = new LinkedHashMap<>();
        for (NotifyEntry entry : entries) {
            if (hears(entry.events(), event)) {
                Route route = entry.destinationId() != null
                        ? Route.named(entry.destinationId(), entry.channel())
                        : Route.inline(task.id(), entry.position(), entry.channel());
                routes.putIfAbsent(route.destinationKey(), route);
            }
        }
        for (Subscription subscription : subscriptions) {
            if (subscription.matches(event, task)) {
                Route route = Route.named(subscription.destinationId(), subscription.channel());
                routes.putIfAbsent(route.destinationKey(), route);
            }
        }
        return new ArrayList<>(routes.values());
    }

    static boolean hears(Set<NotificationEventType> events, NotificationEventType event) {
        return (events == null || events.isEmpty() ? NotificationEventType.defaults() : events).contains(event);
    }
}
