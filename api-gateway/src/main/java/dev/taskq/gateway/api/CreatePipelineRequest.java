package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.PipelineStepDraft;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/v1/pipelines. Every problem is a 422 naming its field (steps[1].task.prompt, …). */
@Schema(name = "CreatePipelineRequest", description = """
        Tasks run one after another on a timetable: each step is a one-time schedule firing delaySeconds after the \
        previous step's fire time (the first after now), and its task depends on the previous step's task, so it runs \
        only once that one succeeded (and ends UPSTREAM_FAILED if it did not).""")
public record CreatePipelineRequest(
        @Schema(required = true, description = "A name people recognise the pipeline by; step i's schedule is named '<name> step i'.")
        String name,
        @Schema(required = true, description = "1 to 50 steps (taskq.api.schedules.max-pipeline-steps), in order.")
        List<Step> steps) {

    /** One step: the task it creates and its delay after the previous step. */
    @Schema(name = "PipelineStep")
    public record Step(
            @Schema(required = true, description = "Everything POST /api/v1/tasks takes, checked the same way; the previous step's task is added to dependsOn when the step fires.")
            SubmitTaskRequest task,
            @Schema(description = "Seconds after the previous step's fire time (the first step: after now); 0 to 31622400. Default 0.")
            Integer delaySeconds) {}

    List<PipelineStepDraft> toDrafts() {
        return steps == null ? null : steps.stream()
                .map(step -> step == null ? null : new PipelineStepDraft(step.task() == null ? null : step.task().toDraft(),
                        step.task() == null ? List.of() : step.task().notifyEntries(), step.delaySeconds()))
                .toList();
    }
}
