package dev.taskq.gateway.domain;

import java.util.List;

/** A request broke rules that need more than an annotation to check; it names every offending field. */
public class InvalidRequestException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message() : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
