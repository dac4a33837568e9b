package dev.taskq.gateway.domain;

import java.util.List;

/** A destination, subscription or notify entry cannot be used as sent (422): it names every offending field. */
public class InvalidNotificationException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidNotificationException(List<FieldError> errors) {
        super(errors.size() == 1 ? errors.getFirst().field() + " " + errors.getFirst().message() : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
