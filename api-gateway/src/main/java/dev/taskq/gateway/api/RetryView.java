package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.RetryCommands;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a manual retry created: the new task, and the dependents re-created below it. */
@Schema(name = "Retry")
public record RetryView(
        @Schema(description = "The new task; its retryOf names the task it repeats.")
        TaskView task,
        @Schema(description = "Tasks re-created below it, each depending on the new tasks instead of the ones it replaces.")
        List<RecreatedDependent> recreatedDependents) {

    /** A re-created dependent. */
    @Schema(name = "RecreatedDependent")
    public record RecreatedDependent(UUID id, @Schema(description = "The task it replaces.") UUID retryOf, String workflowRef) {}

    static RetryView of(RetryCommands.RetryOutcome outcome) {
        return new RetryView(TaskView.of(outcome.task()), outcome.dependents().stream()
                .map(dependent -> new RecreatedDependent(dependent.id(), dependent.retryOf(), dependent.workflowRef()))
                .toList());
    }
}
