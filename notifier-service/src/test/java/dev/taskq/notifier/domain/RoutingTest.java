package dev.taskq.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.NotificationEventType;
import dev.taskq.notifier.domain.Routing.NotifyEntry;
import dev.taskq.notifier.domain.Routing.Route;
import dev.taskq.notifier.domain.Routing.Subscription;
import dev.taskq.notifier.domain.Routing.TaskFacts;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RoutingTest {

    private static final TaskFacts TASK = new TaskFacts(UUID.randomUUID(), "gpu", 7, Map.of("team", "core"));
    private static final UUID DEST = UUID.randomUUID();

    private static Subscription subscription(Set<NotificationEventType> events, String pool, String key, String value, Integer minPriority) {
        return new Subscription(UUID.randomUUID(), DEST, ChannelType.WEBHOOK, events, pool, key, value, minPriority);
    }

    private static List<Route> route(NotificationEventType event, List<NotifyEntry> entries, List<Subscription> subscriptions) {
        return Routing.routes(event, TASK, entries, subscriptions);
    }

    @Test
    void aSubscriptionWithoutFiltersHearsEveryEndingButNotTheStart() {
        List<Subscription> all = List.of(subscription(Set.of(), null, null, null, null));
        assertThat(route(NotificationEventType.TASK_FAILED, List.of(), all)).hasSize(1);
        assertThat(route(NotificationEventType.TASK_STARTED, List.of(), all)).isEmpty();
    }

    @Test
    void aSubscriptionNamingTaskStartedHearsIt() {
        assertThat(route(NotificationEventType.TASK_STARTED, List.of(),
                List.of(subscription(EnumSet.of(NotificationEventType.TASK_STARTED), null, null, null, null)))).hasSize(1);
    }

    @Test
    void poolLabelAndMinimumPriorityMustAllMatch() {
        assertThat(route(NotificationEventType.TASK_SUCCEEDED, List.of(), List.of(subscription(Set.of(), "gpu", "team", "core", 7)))).hasSize(1);
        assertThat(route(NotificationEventType.TASK_SUCCEEDED, List.of(), List.of(subscription(Set.of(), "cpu", null, null, null)))).isEmpty();
        assertThat(route(NotificationEventType.TASK_SUCCEEDED, List.of(), List.of(subscription(Set.of(), null, "team", "web", null)))).isEmpty();
        assertThat(route(NotificationEventType.TASK_SUCCEEDED, List.of(), List.of(subscription(Set.of(), null, "owner", "core", null)))).isEmpty();
        assertThat(route(NotificationEventType.TASK_SUCCEEDED, List.of(), List.of(subscription(Set.of(), null, null, null, 8)))).isEmpty();
    }

    @Test
    void aDestinationNamedByTheTaskAndMatchedByASubscriptionGetsOneDelivery() {
        List<Route> routes = route(NotificationEventType.TASK_SUCCEEDED,
                List.of(new NotifyEntry(0, DEST, ChannelType.WEBHOOK, Set.of())),
                List.of(subscription(Set.of(), null, null, null, null)));
        assertThat(routes).containsExactly(Route.named(DEST, ChannelType.WEBHOOK));
    }

    @Test
    void inlineEntriesAreKeyedByTaskAndPositionAndHonourTheirEventFilter() {
        List<NotifyEntry> entries = List.of(
                new NotifyEntry(0, null, ChannelType.DISCORD, Set.of()),
                new NotifyEntry(1, null, ChannelType.TELEGRAM, EnumSet.of(NotificationEventType.TASK_FAILED)));
        assertThat(route(NotificationEventType.TASK_SUCCEEDED, entries, List.of()))
                .extracting(Route::destinationKey).containsExactly("task:" + TASK.id() + ":0");
        assertThat(route(NotificationEventType.TASK_FAILED, entries, List.of()))
                .extracting(Route::destinationKey).containsExactly("task:" + TASK.id() + ":0", "task:" + TASK.id() + ":1");
    }

    @Test
    void upstreamFailedIsAnnouncedAsTaskFailed() {
        assertThat(NotificationEventType.of(dev.taskq.common.domain.TaskStatus.UPSTREAM_FAILED)).contains(NotificationEventType.TASK_FAILED);
        assertThat(NotificationEventType.of(dev.taskq.common.domain.TaskStatus.QUEUED)).isEmpty();
    }

    @Test
    void aWorkflowMatchesAPoolFilterWhenAnyOfItsTasksRanThereAndAMinimumPriorityByItsMostUrgentTask() {
        Routing.WorkflowFacts workflow = new Routing.WorkflowFacts(UUID.randomUUID(), Set.of("gpu", "cpu"), 8, Map.of("team", "core"));
        Set<NotificationEventType> finished = EnumSet.of(NotificationEventType.WORKFLOW_FINISHED);
        List<Subscription> subscriptions = List.of(subscription(finished, "cpu", "team", "core", 8));
        assertThat(Routing.routes(NotificationEventType.WORKFLOW_FINISHED, Routing.Owner.WORKFLOW, workflow, List.of(), subscriptions)).hasSize(1);
        assertThat(Routing.routes(NotificationEventType.WORKFLOW_FINISHED, Routing.Owner.WORKFLOW, workflow, List.of(),
                List.of(subscription(finished, "arm", null, null, null), subscription(finished, null, null, null, 9),
                        subscription(Set.of(), null, null, null, null)))).isEmpty();
    }

    @Test
    void aWorkflowsInlineEntryIsKeyedByTheWorkflowAndHearsOnlyItsOutcome() {
        UUID id = UUID.randomUUID();
        Routing.WorkflowFacts workflow = new Routing.WorkflowFacts(id, Set.of(), 5, Map.of());
        NotifyEntry inline = new NotifyEntry(2, null, ChannelType.DISCORD, Set.of());
        assertThat(Routing.workflowEntryHears(inline)).isTrue();
        assertThat(Routing.workflowEntryHears(new NotifyEntry(0, null, ChannelType.DISCORD, EnumSet.of(NotificationEventType.TASK_FAILED)))).isFalse();
        assertThat(Routing.routes(NotificationEventType.WORKFLOW_FINISHED, Routing.Owner.WORKFLOW, workflow, List.of(inline), List.of()))
                .extracting(Route::destinationKey).containsExactly("workflow:" + id + ":2");
        assertThat(Routing.Owner.ofKey("workflow:" + id + ":2")).isEqualTo(Routing.Owner.WORKFLOW);
        assertThat(Routing.Owner.ofKey("dest:" + id)).isNull();
    }

    @Test
    void aScheduleTemplatesEntryWithDefaultEventsHearsOnlyRunsThatCreatedNothingAndOneNamingTheEventHearsEvery() {
        NotifyEntry defaults = new NotifyEntry(0, null, ChannelType.WEBHOOK, Set.of());
        NotifyEntry named = new NotifyEntry(1, null, ChannelType.WEBHOOK, EnumSet.of(NotificationEventType.SCHEDULE_RUN_FAILED));
        NotifyEntry other = new NotifyEntry(2, null, ChannelType.WEBHOOK, EnumSet.of(NotificationEventType.TASK_FAILED));
        assertThat(Routing.scheduleEntryHears(defaults, true)).isTrue();
        assertThat(Routing.scheduleEntryHears(defaults, false)).isFalse();
        assertThat(Routing.scheduleEntryHears(named, false)).isTrue();
        assertThat(Routing.scheduleEntryHears(other, true)).isFalse();
    }
}
