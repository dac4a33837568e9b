package dev.taskq.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.domain.AccessDeniedException;
import dev.taskq.gateway.domain.ApiKeyNotFoundException;
import dev.taskq.gateway.domain.FieldError;
import dev.taskq.gateway.domain.PolicyViolationException;
import dev.taskq.gateway.domain.QuotaExceededException;
import dev.taskq.gateway.domain.IdempotencyConflictException;
import dev.taskq.gateway.domain.InvalidNotificationException;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.AgentRoleInUseException;
import dev.taskq.gateway.domain.AgentRoleNotFoundException;
import dev.taskq.gateway.domain.TaskNotAllowedException;
import dev.taskq.gateway.domain.WorkspaceNotAllowedException;
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
import dev.taskq.store.lifecycle.UnknownDependenciesException;
import dev.taskq.store.lifecycle.TaskAlreadyFinishedException;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import dev.taskq.store.lifecycle.TaskNotWaitingForInputException;
import dev.taskq.store.persistence.DatabaseFailures;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place that turns exceptions into RFC 9457 problem responses; every error the API returns comes from here. */
public class ProblemMappers {

    public static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final int MAX_ECHOED_VALUE = 60;
    /** What a 503 for an unreachable database tells clients to wait (Retry-After): about what the pool needs to reconnect. */
    static final int DATABASE_RETRY_AFTER_SECONDS = 5;
    /** The 503 every operation may answer, as the OpenAPI document describes it. */
    static final String DATABASE_UNAVAILABLE_DESCRIPTION = "The database is unavailable (nothing can be read or changed); "
            + "retry after the seconds Retry-After names";

    /**
     * Ends {@code context}'s response with a problem of {@code type}: for the Vert.x filters and routes that answer
     * before, or outside of, a REST resource.
     */
    public static void end(RoutingContext context, ObjectMapper json, ProblemType type, String detail) {
        Problem problem = new Problem(type.uri(), type.title(), type.status(), detail, context.request().path(), null, null);
        try {
            context.response()
                    .setStatusCode(type.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                    .end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }

    @ServerExceptionMapper
    public Response validationFailed(ConstraintViolationException e, UriInfo uri) {
        if (e.getConstraintViolations().stream().anyMatch(ProblemMappers::isReturnValue)) {
            // An invalid response is our bug, not the client's.
            return internalError(e, uri);
        }
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new FieldError(fieldOf(violation.getPropertyPath()), violation.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
        return validation(errors, uri);
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, UriInfo uri) {
        if (e instanceof TaskNotAllowedException refused) {
            return validation(refused.reason() == TaskNotAllowedException.Reason.COMMAND_NOT_ALLOWED
                    ? ProblemType.COMMAND_NOT_ALLOWED : ProblemType.UNKNOWN_AGENT_ROLE, e.errors(), uri);
        }
        return e instanceof WorkspaceNotAllowedException
                ? validation(ProblemType.WORKSPACE_NOT_ALLOWED, e.errors(), uri)
                : validation(e.errors(), uri);
    }

    @ServerExceptionMapper
    public Response agentRoleNotFound(AgentRoleNotFoundException e, UriInfo uri) {
        return problem(ProblemType.AGENT_ROLE_NOT_FOUND, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response agentRoleInUse(AgentRoleInUseException e, UriInfo uri) {
        return problem(ProblemType.AGENT_ROLE_IN_USE, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response jsonDoesNotFit(MismatchedInputException e, UriInfo uri) {
        String field = jsonPath(e.getPath());
        if (field.isEmpty()) {
            return problem(ProblemType.MALFORMED_JSON, "The request body must be a JSON object: " + e.getOriginalMessage(), uri);
        }
        return validation(List.of(new FieldError(field, jsonMismatchMessage(e))), uri);
    }

    @ServerExceptionMapper
    public Response unknownDependencies(UnknownDependenciesException e, UriInfo uri) {
        String ids = e.unknownIds().stream().map(UUID::toString).collect(Collectors.joining(", "));
        return problem(ProblemType.UNKNOWN_DEPENDENCY, "No task exists with id " + ids
                + "; dependsOn may only name tasks submitted before this one.", uri);
    }

    @ServerExceptionMapper
    public Response invalidNotification(InvalidNotificationException e, UriInfo uri) {
        String fields = e.errors().stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
        Problem body = new Problem(ProblemType.INVALID_NOTIFICATION.uri(), ProblemType.INVALID_NOTIFICATION.title(),
                ProblemType.INVALID_NOTIFICATION.status(), "Fix " + fields + " and send the request again; nothing was written.",
                path(uri), e.errors(), null);
        return Response.status(ProblemType.INVALID_NOTIFICATION.status()).type(PROBLEM_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response invalidSchedule(InvalidScheduleException e, UriInfo uri) {
        String fields = e.errors().stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
        Problem body = new Problem(ProblemType.INVALID_SCHEDULE.uri(), ProblemType.INVALID_SCHEDULE.title(),
                ProblemType.INVALID_SCHEDULE.status(), "Fix " + fields + " and send the request again; nothing was written.",
                path(uri), e.errors(), null);
        return Response.status(ProblemType.INVALID_SCHEDULE.status()).type(PROBLEM_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response invalidWorkflow(InvalidWorkflowException e, UriInfo uri) {
        String fields = e.errors().stream().map(FieldError::field).distinct().limit(20).collect(Collectors.joining(", "));
        long more = e.errors().stream().map(FieldError::field).distinct().count() - 20;
        Problem body = new Problem(ProblemType.INVALID_WORKFLOW.uri(), ProblemType.INVALID_WORKFLOW.title(),
                ProblemType.INVALID_WORKFLOW.status(), "Fix " + fields + (more > 0 ? " and " + more + " more" : "")
                        + " and send the request again; nothing was written.",
                path(uri), e.errors(), null);
        return Response.status(ProblemType.INVALID_WORKFLOW.status()).type(PROBLEM_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response workflowNotFound(WorkflowNotFoundException e, UriInfo uri) {
        return problem(ProblemType.WORKFLOW_NOT_FOUND, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response workflowFinished(WorkflowFinishedException e, UriInfo uri) {
        return problem(ProblemType.WORKFLOW_FINISHED, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response taskNotRetryable(TaskNotRetryableException e, UriInfo uri) {
        return problem(ProblemType.TASK_NOT_RETRYABLE, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response taskAlreadyRetried(TaskAlreadyRetriedException e, UriInfo uri) {
        return problem(ProblemType.TASK_ALREADY_RETRIED, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response taskNotResumable(TaskNotResumableException e, UriInfo uri) {
        return problem(ProblemType.TASK_NOT_RESUMABLE, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response taskNotWaitingForInput(TaskNotWaitingForInputException e, UriInfo uri) {
        return problem(ProblemType.TASK_NOT_WAITING_FOR_INPUT, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e, UriInfo uri) {
        return problem(ProblemType.IDEMPOTENCY_KEY_REUSED, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response scheduleNotFound(ScheduleNotFoundException e, UriInfo uri) {
        return problem(ProblemType.SCHEDULE_NOT_FOUND, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response scheduleConflict(ScheduleConflictException e, UriInfo uri) {
        return problem(ProblemType.SCHEDULE_CONFLICT, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response notificationNotFound(NotificationNotFoundException e, UriInfo uri) {
        return problem(ProblemType.NOTIFICATION_NOT_FOUND, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response notificationConflict(NotificationConflictException e, UriInfo uri) {
        return problem(ProblemType.NOTIFICATION_CONFLICT, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response accessDenied(AccessDeniedException e, UriInfo uri) {
        return problem(ProblemType.FORBIDDEN, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e, UriInfo uri) {
        return Response.fromResponse(problem(ProblemType.QUOTA_EXCEEDED, e.getMessage(), uri))
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                .build();
    }

    @ServerExceptionMapper
    public Response policyViolation(PolicyViolationException e, UriInfo uri) {
        Problem body = new Problem(ProblemType.POLICY_VIOLATION.uri(), ProblemType.POLICY_VIOLATION.title(),
                ProblemType.POLICY_VIOLATION.status(), e.getMessage(), path(uri), e.errors(), null);
        return Response.status(ProblemType.POLICY_VIOLATION.status()).type(PROBLEM_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response apiKeyNotFound(ApiKeyNotFoundException e, UriInfo uri) {
        return problem(ProblemType.API_KEY_NOT_FOUND, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response taskNotFound(TaskNotFoundException e, UriInfo uri) {
        return problem(ProblemType.TASK_NOT_FOUND, e.getMessage() + ".", uri);
    }

    @ServerExceptionMapper
    public Response taskFinished(TaskAlreadyFinishedException e, UriInfo uri) {
        String cancellable = TaskStatus.cancellable().stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
        return problem(ProblemType.TASK_FINISHED, e.getMessage() + "; only tasks that are " + cancellable
                + " can be cancelled.", uri);
    }

    /** JAX-RS's own errors (routing, content negotiation, authentication) and Jackson's wrapped parse errors. */
    @ServerExceptionMapper
    public Response httpError(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof StreamReadException parseError) {
            return unparsableJson(parseError, uri);
        }
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return jsonDoesNotFit(mismatch, uri);
        }
        if (e.getCause() instanceof JsonMappingException bindError && !jsonPath(bindError.getPath()).isEmpty()) {
            // E.g. a number too large for its field: Jackson knows the field, so name it.
            String message = bindError.getCause() instanceof InputCoercionException coercion
                    ? "is out of range: " + coercion.getOriginalMessage()
                    : "has an invalid value: " + bindError.getOriginalMessage();
            return validation(List.of(new FieldError(jsonPath(bindError.getPath()), message)), uri);
        }
        if (e.getCause() instanceof DatabindException bindError) {
            return problem(ProblemType.MALFORMED_JSON, "The request body does not fit the expected JSON: "
                    + bindError.getOriginalMessage(), uri);
        }
        return switch (e) {
            case NotAuthorizedException ignored -> Response.fromResponse(problem(ProblemType.UNAUTHORIZED,
                            "Send a valid API token as 'Authorization: Bearer <token>'.", uri))
                    .header(HttpHeaders.WWW_AUTHENTICATE, AuthenticationFilter.CHALLENGE)
                    .build();
            case ForbiddenException forbidden -> problem(ProblemType.FORBIDDEN, forbidden.getMessage(), uri);
            case NotFoundException ignored -> problem(ProblemType.NOT_FOUND,
                    "Nothing is served at " + uri.getRequestUri().getRawPath() + "; the API lives under /api/v1.", uri);
            case NotAllowedException ignored -> {
                Set<String> allowed = AllowedMethods.at(uri.getRequestUri().getRawPath());
                yield Response.fromResponse(problem(ProblemType.METHOD_NOT_ALLOWED,
                                "This resource does not support that method; it allows " + String.join(", ", allowed) + ".", uri))
                        .allow(allowed)
                        .build();
            }
            case NotSupportedException ignored -> problem(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send the request body as application/json.", uri);
            case NotAcceptableException ignored -> problem(ProblemType.NOT_ACCEPTABLE,
                    "This resource answers with application/json (the log stream with text/event-stream); accept that.", uri);
            default -> otherHttpError(e, uri);
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DatabaseFailures.isUnreachable(e)) {
            return databaseUnavailable(e, uri);
        }
        return internalError(e, uri);
    }

    private Response otherHttpError(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internalError(e, uri);
        }
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String reason = statusType == null ? "Request failed" : statusType.getReasonPhrase();
        Problem body = new Problem(ProblemType.HTTP_ERROR.uri(), reason, status, reason + ".", path(uri), null, null);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }

    private static Response unparsableJson(StreamReadException e, UriInfo uri) {
        if (e instanceof InputCoercionException coercion) {
            return problem(ProblemType.MALFORMED_JSON, "A number in the request body is out of range: "
                    + coercion.getOriginalMessage(), uri);
        }
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return problem(ProblemType.MALFORMED_JSON, "The request body is not valid JSON" + where + ": "
                + e.getOriginalMessage() + ". Send a complete JSON object.", uri);
    }

    private Response internalError(Throwable e, UriInfo uri) {
        String correlationId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error answering %s (correlation id %s)", path(uri), correlationId);
        Problem body = new Problem(ProblemType.INTERNAL.uri(), ProblemType.INTERNAL.title(), ProblemType.INTERNAL.status(),
                "The server failed to handle this request. Retry later; if it keeps failing, report correlation id "
                        + correlationId + ".", path(uri), null, correlationId);
        return Response.status(ProblemType.INTERNAL.status()).type(PROBLEM_JSON).entity(body).build();
    }

    /**
     * Postgres cannot be reached: a 503 the client can wait out, not a 500 to report. The pool drops dead connections and
     * opens new ones once Postgres is back, so the same request succeeds again without a restart.
     */
    private static Response databaseUnavailable(Throwable e, UriInfo uri) {
        // One line, no stack trace: while Postgres is away every request ends here.
        LOG.warnf("Database unavailable answering %s: %s", path(uri), rootCause(e));
        return Response.fromResponse(problem(ProblemType.DATABASE_UNAVAILABLE, "The database is unavailable, so taskq can "
                        + "neither read nor change tasks right now. Retry in " + DATABASE_RETRY_AFTER_SECONDS + " seconds; a "
                        + "submission repeated with the same Idempotency-Key creates its task at most once.", uri))
                .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS)
                .build();
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static Response validation(List<FieldError> errors, UriInfo uri) {
        return validation(ProblemType.VALIDATION, errors, uri);
    }

    private static Response validation(ProblemType type, List<FieldError> errors, UriInfo uri) {
        String fields = errors.stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
        Problem body = new Problem(type.uri(), type.title(), type.status(),
                "Fix " + fields + " and send the request again.", path(uri), errors, null);
        return Response.status(type.status()).type(PROBLEM_JSON).entity(body).build();
    }

    static Response problem(ProblemType type, String detail, UriInfo uri) {
        Problem body = new Problem(type.uri(), type.title(), type.status(), detail, path(uri), null, null);
        return Response.status(type.status()).type(PROBLEM_JSON).entity(body).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    private static boolean isReturnValue(ConstraintViolation<?> violation) {
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The field as the client named it: {@code submit.body.dependsOn[0].<list element>} becomes
     * {@code dependsOn[0]}, and a violated query parameter {@code list.limit} becomes {@code limit}.
     */
    static String fieldOf(Path propertyPath) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : propertyPath) {
            switch (node.getKind()) {
                case PARAMETER -> parameter = node.getName();
                case PROPERTY, BEAN, CONTAINER_ELEMENT -> {
                    if (node.isInIterable()) {
                        field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
                    }
                    if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                        field.append(field.isEmpty() ? "" : ".").append(node.getName());
                    }
                }
                default -> { }
            }
        }
        return field.isEmpty() && parameter != null ? parameter : field.toString();
    }

    /** Jackson's path as the client wrote it, e.g. {@code dependsOn[0]} or {@code metadata.team}. */
    static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String jsonMismatchMessage(MismatchedInputException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; known fields are "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "is not a known field" + known;
        }
        String expected = expectedJson(e.getTargetType());
        if (e instanceof InvalidFormatException invalid) {
            return "must be " + expected + ", got " + echo(invalid.getValue());
        }
        return "must be " + expected;
    }

    private static String expectedJson(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "of another JSON type";
    }

    private static String echo(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > MAX_ECHOED_VALUE ? text.substring(0, MAX_ECHOED_VALUE) + "…" : text) + "'";
    }
}
