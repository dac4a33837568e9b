package dev.taskq.gateway.mcp;

import dev.taskq.gateway.api.CreateWorkflowRequest;
import dev.taskq.gateway.api.Idempotency;
import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.IdempotencyKey;
import dev.taskq.gateway.domain.Submitted;
import dev.taskq.gateway.domain.WorkflowCommands;
import dev.taskq.gateway.persistence.WorkflowDetails;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The MCP tool that submits a workflow: a graph of tasks created together, as POST /api/v1/workflows takes it. */
@Singleton
@ToolErrors
public class WorkflowTools {

    private final WorkflowCommands commands;
    private final RequestBodies bodies;
    private final McpCaller caller;

    public WorkflowTools(WorkflowCommands commands, RequestBodies bodies, McpCaller caller) {
        this.commands = commands;
        this.bodies = bodies;
        this.caller = caller;
    }

    @Tool(name = "SubmitWorkflow", description = """
            Creates several tasks at once as a graph (DAG), all or nothing. Each task has a ref (its name here) and a \
            prompt; dependsOn and continueFrom name refs of this workflow (or ids of existing tasks). A task runs once \
            every task it depends on succeeded; continueFrom also hands it that task's result, output and git state. \
            Tasks with no dependency start at once, in parallel. A cycle or an unknown ref is rejected, naming it. \
            Example tasks: [{"ref":"build","prompt":"Build it"},{"ref":"test","prompt":"Run the tests","dependsOn":["build"],\
            "continueFrom":"build"},{"ref":"report","prompt":"Summarise","dependsOn":["test"],"onDependencyFailure":"run"}]""",
            annotations = @Tool.Annotations(title = "Submit a workflow", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = false, openWorldHint = true))
    @RunOnVirtualThread
    public String submitWorkflow(
            @ToolArg(description = """
                    1 to 10000 task objects. Fields: ref (required; letters, digits, '.', '_', '-'), prompt (required), \
                    dependsOn (refs or task ids), continueFrom (a ref or task id), onDependencyFailure (fail, skip or run), \
                    priority (P0-P3 or 1-10), pool, workingDir, model, maxTurns, timeoutSeconds, concurrencyKey, metadata, \
                    notify, retry {maxAttempts, initialBackoffSeconds, maxBackoffSeconds, onTimeout}, maxBudgetUsd, \
                    allowedTools, disallowedTools, appendSystemPrompt, permissionMode, repo {url, ref} (as DelegateTask \
                    takes them).""")
            List<Map<String, Object>> tasks,
            @ToolArg(description = "A name people recognise the workflow by, at most 200 characters.", required = false)
            String name,
            @ToolArg(description = "Free-form string labels of the workflow.", required = false)
            Map<String, String> metadata,
            @ToolArg(description = "A fresh unique string, e.g. a UUID. Calling again with the same key and arguments "
                    + "returns the workflow the first call created instead of a second one.", required = false)
            String idempotencyKey) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("metadata", metadata);
        fields.put("tasks", tasks);
        CreateWorkflowRequest request = bodies.read(fields, CreateWorkflowRequest.class);
        IdempotencyKey key = idempotencyKey == null ? null
                : Idempotency.key(caller.principal(), IdempotencyKey.WORKFLOWS, "idempotencyKey", idempotencyKey, request);
        Submitted<WorkflowDetails> submitted = commands.create(request.toDraft(), annotationErrors(bodies, request, ""), key,
                caller.session());
        return (submitted.created() ? "" : "This idempotencyKey was used before: no new workflow. ")
                + TaskTexts.workflowCreated(submitted.value());
    }

    /**
     * The request's annotation violations, named as POST /api/v1/workflows names them ({@code tasks[3].prompt}) after
     * {@code prefix} (a schedule's workflow template: {@code workflow.}).
     */
    static List<FieldError> annotationErrors(RequestBodies bodies, CreateWorkflowRequest request, String prefix) {
        List<FieldError> errors = new ArrayList<>(bodies.violations(request, prefix));
        if (request.tasks() != null) {
            for (int i = 0; i < request.tasks().size(); i++) {
                if (request.tasks().get(i) != null) {
                    errors.addAll(bodies.violations(request.tasks().get(i), prefix + "tasks[" + i + "]."));
                }
            }
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return errors;
    }
}
