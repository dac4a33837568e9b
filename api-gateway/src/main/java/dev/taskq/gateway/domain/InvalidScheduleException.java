package dev.taskq.gateway.domain;

import java.util.List;

/** A schedule request broke a rule, its own or one of its task template's; it names every offending field. */
public class InvalidScheduleException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidScheduleException(List<FieldError> errors) {
        super(errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message() : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
