package dev.taskq.gateway.domain;

import java.util.List;

/** A workflow broke rules of its graph or of its tasks; names every offending field ({@code tasks[3].dependsOn[0]}, …). */
public class InvalidWorkflowException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidWorkflowException(List<FieldError> errors) {
        super(errors.size() + " workflow fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
