package dev.taskq.gateway.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.gateway.domain.FieldError;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns tool arguments into the REST API's request records and checks their annotations, so that a tool takes
 * exactly what the REST API takes and rejects it with the same words.
 */
@Singleton
class RequestBodies {

    private final ObjectMapper json;
    private final Validator validator;
    private final Problems problems;

    RequestBodies(ObjectMapper json, Validator validator, Problems problems) {
        this.json = json;
        this.validator = validator;
        this.problems = problems;
    }

    /**
     * The JSON object of {@code fields} (null values left out) read as a {@code type}, with the REST API's JSON settings:
     * a field of the wrong type or an unknown one is the REST API's 400, naming it ({@code tasks[1].timeoutSeconds}).
     */
    <T> T read(Map<String, ?> fields, Class<T> type) {
        Map<String, Object> present = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (value != null) {
                present.put(name, value);
            }
        });
        try {
            return json.convertValue(present, type);
        } catch (IllegalArgumentException e) {
            // convertValue wraps Jackson's own exception, which knows the offending field.
            throw new JsonArgumentException(e.getCause() == null ? e : e.getCause());
        }
    }

    /** Throws the REST API's validation problem when {@code body} breaks one of its annotations. */
    void check(Object body) {
        Set<ConstraintViolation<Object>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }

    /** The annotation violations of {@code body}, each field named as the REST API names it and prefixed. */
    List<FieldError> violations(Object body, String prefix) {
        Set<ConstraintViolation<Object>> violations = validator.validate(body);
        if (violations.isEmpty()) {
            return List.of();
        }
        return problems.of(new ConstraintViolationException(violations)).errors().stream()
                .map(error -> new FieldError(prefix + error.field(), error.message()))
                .toList();
    }

    /** Arguments Jackson could not read; its cause names the field. */
    static final class JsonArgumentException extends RuntimeException {
        JsonArgumentException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
