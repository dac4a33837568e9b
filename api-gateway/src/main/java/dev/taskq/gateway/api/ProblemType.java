package dev.taskq.gateway.api;

import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Every kind of problem the API reports, with its HTTP status and title. */
public enum ProblemType {
    VALIDATION("validation", Response.Status.BAD_REQUEST, "The request is invalid"),
    WORKSPACE_NOT_ALLOWED("workspace-not-allowed", 422, "The task's workspace is not allowed"),
    COMMAND_NOT_ALLOWED("command-not-allowed", 422, "The task's command is not allowed"),
    UNKNOWN_AGENT_ROLE("unknown-agent-role", 422, "Unknown agent role"),
    AGENT_ROLE_NOT_FOUND("agent-role-not-found", Response.Status.NOT_FOUND, "Agent role not found"),
    AGENT_ROLE_IN_USE("agent-role-in-use", Response.Status.CONFLICT, "The agent role is in use"),
    MALFORMED_JSON("malformed-json", Response.Status.BAD_REQUEST, "The request body is not valid JSON"),
    BAD_REQUEST("bad-request", Response.Status.BAD_REQUEST, "Bad request"),
    UNAUTHORIZED("unauthorized", Response.Status.UNAUTHORIZED, "Authentication required"),
    FORBIDDEN("forbidden", Response.Status.FORBIDDEN, "Not allowed for this API key"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    QUOTA_EXCEEDED("quota-exceeded", 429, "The API key's quota is used up"),
    POLICY_VIOLATION("policy-violation", 422, "The task breaks the task policy"),
    API_KEY_NOT_FOUND("api-key-not-found", Response.Status.NOT_FOUND, "API key not found"),
    NOT_FOUND("not-found", Response.Status.NOT_FOUND, "Not found"),
    TASK_NOT_FOUND("task-not-found", Response.Status.NOT_FOUND, "Task not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", Response.Status.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", Response.Status.NOT_ACCEPTABLE, "Not acceptable"),
    TASK_FINISHED("task-finished", Response.Status.CONFLICT, "The task has already finished"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", Response.Status.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    UNKNOWN_DEPENDENCY("unknown-dependency", 422, "Unknown dependency"),
    INVALID_NOTIFICATION("invalid-notification", 422, "The notification settings are invalid"),
    NOTIFICATION_NOT_FOUND("notification-not-found", Response.Status.NOT_FOUND, "Not found"),
    NOTIFICATION_CONFLICT("notification-conflict", Response.Status.CONFLICT, "Conflict"),
    INVALID_SCHEDULE("invalid-schedule", 422, "The schedule is invalid"),
    SCHEDULE_NOT_FOUND("schedule-not-found", Response.Status.NOT_FOUND, "Schedule not found"),
    SCHEDULE_CONFLICT("schedule-conflict", Response.Status.CONFLICT, "The schedule cannot change that way"),
    INVALID_WORKFLOW("invalid-workflow", 422, "The workflow is invalid"),
    WORKFLOW_NOT_FOUND("workflow-not-found", Response.Status.NOT_FOUND, "Workflow not found"),
    WORKFLOW_FINISHED("workflow-finished", Response.Status.CONFLICT, "The workflow has already finished"),
    TASK_NOT_RETRYABLE("task-not-retryable", Response.Status.CONFLICT, "The task cannot be retried"),
    TASK_ALREADY_RETRIED("task-already-retried", Response.Status.CONFLICT, "The task was already retried"),
    TASK_NOT_RESUMABLE("task-not-resumable", Response.Status.CONFLICT, "The task cannot be resumed"),
    TASK_NOT_WAITING_FOR_INPUT("task-not-waiting-for-input", Response.Status.CONFLICT, "The task is not waiting for an answer"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", Response.Status.CONFLICT, "The Idempotency-Key was used for another request"),
    HTTP_ERROR("http-error", Response.Status.BAD_REQUEST, "Request failed"),
    INTERNAL("internal", Response.Status.INTERNAL_SERVER_ERROR, "Internal server error"),
    DATABASE_UNAVAILABLE("database-unavailable", Response.Status.SERVICE_UNAVAILABLE, "Service unavailable");

    private final URI uri;
    private final int status;
    private final String title;

    ProblemType(String slug, Response.Status status, String title) {
        this(slug, status.getStatusCode(), title);
    }

    ProblemType(String slug, int status, String title) {
        this.uri = URI.create(Problem.TYPE_BASE + slug);
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
