package dev.taskq.gateway.domain;

import java.util.List;
import java.util.stream.Collectors;

/** A well-formed task breaks the task policy (taskq.api.policy): a 422 naming each rule and field. */
public class PolicyViolationException extends RuntimeException {

    private final List<String> rules;
    private final List<FieldError> errors;

    public PolicyViolationException(List<String> rules, List<FieldError> errors) {
        super("The task breaks the policy rule" + (rules.size() == 1 ? " " : "s ")
                + rules.stream().distinct().map(rule -> "'" + rule + "'").collect(Collectors.joining(", "))
                + "; change " + errors.stream().map(FieldError::field).distinct().collect(Collectors.joining(", "))
                + " and send it again. Nothing was written.");
        this.rules = List.copyOf(rules);
        this.errors = List.copyOf(errors);
    }

    public List<String> rules() {
        return rules;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
