package dev.taskq.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The API answered with an error: its HTTP status and the RFC 9457 problem it sent (or one made up from the status
 * when the body was not a problem).
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;
    private final String correlationId;
    private final JsonNode body;

    public ApiException(int status, String title, String detail, List<FieldError> errors, String correlationId, JsonNode body) {
        super(status + " " + title + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.errors = List.copyOf(errors);
        this.correlationId = correlationId;
        this.body = body;
    }

    /** Reads a problem+json body; anything else becomes a problem titled by the status. */
    public static ApiException of(int status, JsonNode problem) {
        if (problem == null || !problem.isObject() || !problem.hasNonNull("title")) {
            return new ApiException(status, "HTTP " + status, null, List.of(), null, problem);
        }
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            errors.add(new FieldError(error.path("field").asText(""), error.path("message").asText("")));
        }
        return new ApiException(status, problem.path("title").asText(), text(problem, "detail"), errors,
                text(problem, "correlationId"), problem);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public String correlationId() {
        return correlationId;
    }

    /** The problem as the server sent it, or null when it sent none. */
    public JsonNode body() {
        return body;
    }

    /** One offending field of a validation problem. */
    public record FieldError(String field, String message) {}
}
