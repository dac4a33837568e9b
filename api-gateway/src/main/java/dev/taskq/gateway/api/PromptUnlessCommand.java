package dev.taskq.gateway.api;

import dev.taskq.common.domain.TaskKind;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A task's prompt must not be blank unless the task is a command, whose prompt is an optional description. Checked with
 * the request's other annotations, so a client hears of a missing prompt together with every other malformed field.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Constraint(validatedBy = {PromptUnlessCommand.OfSubmission.class, PromptUnlessCommand.OfWorkflowTask.class})
public @interface PromptUnlessCommand {

    String message() default "must not be blank";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Reports a violation on the prompt field, where the field's own annotation used to. */
    abstract class Check<T> implements ConstraintValidator<PromptUnlessCommand, T> {

        boolean valid(String kind, String prompt, ConstraintValidatorContext context) {
            // An unknown kind is left to the submission rules, which name it together with the prompt.
            boolean notClaude = kind != null && TaskKind.parse(kind) != TaskKind.CLAUDE;
            if (notClaude || (prompt != null && !prompt.isBlank())) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("prompt").addConstraintViolation();
            return false;
        }
    }

    final class OfSubmission extends Check<SubmitTaskRequest> {
        @Override
        public boolean isValid(SubmitTaskRequest request, ConstraintValidatorContext context) {
            return request == null || valid(request.kind(), request.prompt(), context);
        }
    }

    final class OfWorkflowTask extends Check<WorkflowTaskRequest> {
        @Override
        public boolean isValid(WorkflowTaskRequest request, ConstraintValidatorContext context) {
            return request == null || valid(request.kind(), request.prompt(), context);
        }
    }
}
