package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskq.gateway.domain.ScheduleDraft;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/v1/schedules. Every problem, the template's included, is a 422 naming its field. */
@Schema(name = "CreateScheduleRequest", description = """
        A task or a whole workflow created on a cron schedule (in a time zone) or once at runAt. DST: a wall time that does not exist on a \
        spring-forward day fires once at the shifted instant (02:30 → 03:30 local); a wall time that occurs twice on a \
        fall-back day fires once, at its first occurrence.""")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateScheduleRequest(
        @Schema(required = true, description = "A name people recognise the schedule by, up to 200 characters.", examples = "nightly-report")
        String name,

        @Schema(description = "5-field UNIX cron (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly. Exactly one of cron and runAt.",
                examples = "30 2 * * 1-5")
        String cron,

        @Schema(description = "IANA zone the cron is evaluated in. Default UTC.", examples = "America/New_York")
        String timezone,

        @Schema(description = "ISO 8601 date-time with offset, in the future: fire once then. Exactly one of cron and runAt.",
                format = "date-time", examples = "2026-05-01T09:00:00+02:00")
        String runAt,

        @Schema(description = "What to do with fire times missed while no scheduler ran: skip (default), catchup (fire the latest maxCatchup, oldest first), fail (record each as a MISSED run).",
                enumeration = {"skip", "catchup", "fail"})
        String missedRunPolicy,

        @Schema(description = "The most missed fire times catchup fires (and fail records). Default 10 (taskq.api.schedules.default-max-catchup).")
        Integer maxCatchup,

        @Schema(description = "When due while the previous run's task has not finished: skip (default; record SKIPPED_OVERLAP), allow, or cancel the previous task.",
                enumeration = {"skip", "allow", "cancel"})
        String overlapPolicy,

        @Schema(description = "No fire time before this (inclusive); cron schedules only.", format = "date-time")
        String startAt,

        @Schema(description = "No fire time after this (inclusive); then the schedule is COMPLETED. Cron schedules only.", format = "date-time")
        String endAt,

        @Schema(description = "The schedule is COMPLETED after this many runs that created a task.")
        Integer maxRuns,

        @Schema(description = "The task each run creates: everything POST /api/v1/tasks takes, checked the same way (errors name task.<field>). "
                + "Exactly one of task and workflow.")
        SubmitTaskRequest task,

        @Schema(description = "The workflow each run creates, all its tasks at once: everything POST /api/v1/workflows takes, checked the same "
                + "way (errors name workflow.<field>, e.g. workflow.tasks[1].dependsOn[0]; a cycle is named on workflow.tasks). "
                + "Exactly one of task and workflow.")
        CreateWorkflowRequest workflow) {

    public ScheduleDraft toDraft() {
        return new ScheduleDraft(name, cron, timezone, runAt, missedRunPolicy, maxCatchup, overlapPolicy, startAt, endAt, maxRuns,
                task == null ? null : task.toDraft(), task == null ? null : task.notifyEntries(),
                workflow == null ? null : workflow.toDraft());
    }
}
