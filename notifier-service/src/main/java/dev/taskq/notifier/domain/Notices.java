package dev.taskq.notifier.domain;

import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.ScheduleRunFailedEvent;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.common.json.EventJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notices of workflow and schedule events. A delivery keeps its event whole (as JSON) so every retry tells the same
 * story; the notice is built from it at each send.
 */
public final class Notices {

    private static final int GREEN = 0x2ECC71;
    private static final int RED = 0xE74C3C;
    private static final int GREY = 0x95A5A6;

    private Notices() {}

    /** What a delivery keeps of an event: the event itself, as a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> snapshot(Object event) {
        return EventJson.mapper().convertValue(event, Map.class);
    }

    /**
     * "Workflow nightly-build failed": outcome, task counts, duration, cost, the reason naming a task that failed, links
     * to the workflow in the API and the dashboard.
     */
    public static Notice workflow(Map<String, Object> snapshot, String publicBaseUrl) {
        WorkflowFinishedEvent event = EventJson.mapper().convertValue(snapshot, WorkflowFinishedEvent.class);
        String name = event.name() == null || event.name().isBlank() ? "Workflow " + event.workflowId().toString().substring(0, 8) : event.name();
        List<Notice.Fact> facts = new ArrayList<>();
        facts.add(new Notice.Fact("Tasks", counts(event)));
        if (event.createdAt() != null && event.finishedAt() != null) {
            facts.add(new Notice.Fact("Duration", NotificationMessage.durationText(Duration.between(event.createdAt(), event.finishedAt()))));
        }
        if (event.costUsd() != null) {
            facts.add(new Notice.Fact("Cost", NotificationMessage.costText(event.costUsd())));
        }
        String api = publicBaseUrl + "/api/v1/workflows/" + event.workflowId();
        List<Notice.Link> links = List.of(new Notice.Link("Open in dashboard", publicBaseUrl + "/ui/#/workflows/" + event.workflowId()),
                new Notice.Link("API", api));
        Map<String, Object> data = new LinkedHashMap<>(snapshot);
        data.put("link", api);
        data.put("dashboardLink", links.getFirst().url());
        int colour = event.status() == WorkflowStatus.SUCCEEDED ? GREEN : event.status() == WorkflowStatus.CANCELLED ? GREY : RED;
        return new Notice(name, String.valueOf(event.status()), facts, event.reason(), links, colour, data);
    }

    /** "Scheduled run failed: nightly report": fire time, kind, reason, links to the schedule's runs. */
    public static Notice scheduleRun(Map<String, Object> snapshot, String publicBaseUrl) {
        ScheduleRunFailedEvent event = EventJson.mapper().convertValue(snapshot, ScheduleRunFailedEvent.class);
        String name = event.scheduleName() == null || event.scheduleName().isBlank()
                ? "Schedule " + event.scheduleId().toString().substring(0, 8) : event.scheduleName();
        List<Notice.Fact> facts = new ArrayList<>();
        facts.add(new Notice.Fact("Fire time", String.valueOf(event.fireTime())));
        facts.add(new Notice.Fact("Kind", String.valueOf(event.kind())));
        if (event.taskId() != null) {
            facts.add(new Notice.Fact("Task", event.taskId().toString()));
        }
        if (event.workflowId() != null) {
            facts.add(new Notice.Fact("Workflow", event.workflowId().toString()));
        }
        String runs = publicBaseUrl + "/api/v1/schedules/" + event.scheduleId() + "/runs";
        List<Notice.Link> links = List.of(new Notice.Link("Open in dashboard", publicBaseUrl + "/ui/#/schedules/" + event.scheduleId()),
                new Notice.Link("Runs", runs));
        Map<String, Object> data = new LinkedHashMap<>(snapshot);
        data.put("link", runs);
        data.put("dashboardLink", links.getFirst().url());
        return new Notice(name, String.valueOf(event.kind()), facts, event.reason(), links, RED, data);
    }

    private static String counts(WorkflowFinishedEvent event) {
        List<String> parts = new ArrayList<>();
        parts.add(event.succeededCount() + " succeeded");
        if (event.failedCount() > 0) {
            parts.add(event.failedCount() + " failed");
        }
        if (event.cancelledCount() > 0) {
            parts.add(event.cancelledCount() + " cancelled");
        }
        if (event.skippedCount() > 0) {
            parts.add(event.skippedCount() + " skipped");
        }
        return String.join(", ", parts) + " of " + event.taskCount();
    }
}
