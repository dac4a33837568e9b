package dev.taskq.gateway.mcp;

import dev.taskq.gateway.api.Problem;
import dev.taskq.gateway.api.ProblemMappers;
import dev.taskq.gateway.domain.AccessDeniedException;
import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.PolicyViolationException;
import dev.taskq.gateway.domain.QuotaExceededException;
import dev.taskq.gateway.domain.IdempotencyConflictException;
import dev.taskq.gateway.domain.InvalidNotificationException;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.InvalidScheduleException;
import dev.taskq.gateway.domain.InvalidWorkflowException;
import dev.taskq.gateway.domain.NotificationConflictException;
import dev.taskq.gateway.domain.NotificationNotFoundException;
import dev.taskq.gateway.domain.ScheduleConflictException;
import dev.taskq.gateway.domain.ScheduleNotFoundException;
import dev.taskq.gateway.domain.TaskAlreadyRetriedException;
import dev.taskq.gateway.domain.TaskNotResumableException;
import dev.taskq.gateway.domain.TaskNotRetryableException;
import dev.taskq.gateway.domain.WorkflowFinishedException;
import dev.taskq.gateway.domain.WorkflowNotFoundException;
import dev.taskq.store.lifecycle.TaskAlreadyFinishedException;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import dev.taskq.store.lifecycle.TaskNotWaitingForInputException;
import dev.taskq.store.lifecycle.UnknownDependenciesException;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * The REST API's problem details for MCP callers: the same title, detail and field errors, made by ProblemMappers,
 * so a tool error says exactly what the REST API would.
 */
@Singleton
class Problems {

    private final ProblemMappers mappers = new ProblemMappers();

    /** The problem the REST API answers {@code failure} with; an unexpected one is logged under a correlation id. */
    Problem of(Throwable failure) {
        Response response = switch (failure) {
            case ConstraintViolationException e -> mappers.validationFailed(e, null);
            case InvalidRequestException e -> mappers.invalidRequest(e, null);
            // A tool argument of the wrong JSON type or an unknown field, named as the REST API names it.
            case RequestBodies.JsonArgumentException e ->
                    mappers.httpError(new WebApplicationException(e.getCause(), Response.Status.BAD_REQUEST), null);
            case UnknownDependenciesException e -> mappers.unknownDependencies(e, null);
            case InvalidNotificationException e -> mappers.invalidNotification(e, null);
            case InvalidScheduleException e -> mappers.invalidSchedule(e, null);
            case InvalidWorkflowException e -> mappers.invalidWorkflow(e, null);
            case WorkflowNotFoundException e -> mappers.workflowNotFound(e, null);
            case WorkflowFinishedException e -> mappers.workflowFinished(e, null);
            case TaskNotRetryableException e -> mappers.taskNotRetryable(e, null);
            case TaskAlreadyRetriedException e -> mappers.taskAlreadyRetried(e, null);
            case TaskNotResumableException e -> mappers.taskNotResumable(e, null);
            case TaskNotWaitingForInputException e -> mappers.taskNotWaitingForInput(e, null);
            case IdempotencyConflictException e -> mappers.idempotencyConflict(e, null);
            case ScheduleNotFoundException e -> mappers.scheduleNotFound(e, null);
            case ScheduleConflictException e -> mappers.scheduleConflict(e, null);
            case NotificationNotFoundException e -> mappers.notificationNotFound(e, null);
            case NotificationConflictException e -> mappers.notificationConflict(e, null);
            case TaskNotFoundException e -> mappers.taskNotFound(e, null);
            case TaskAlreadyFinishedException e -> mappers.taskFinished(e, null);
            case AccessDeniedException e -> mappers.accessDenied(e, null);
            case QuotaExceededException e -> mappers.quotaExceeded(e, null);
            case PolicyViolationException e -> mappers.policyViolation(e, null);
            default -> mappers.unexpected(failure, null);
        };
        return (Problem) response.getEntity();
    }

    /** A problem as the text of a tool error: title and detail, then one line per offending field. */
    static String text(Problem problem) {
        StringBuilder text = new StringBuilder(problem.title()).append(": ").append(problem.detail());
        if (problem.errors() != null) {
            for (FieldError error : problem.errors()) {
                text.append("\n- ").append(error.field().isEmpty() ? "(arguments)" : error.field()).append(": ").append(error.message());
            }
        }
        return text.toString();
    }
}
