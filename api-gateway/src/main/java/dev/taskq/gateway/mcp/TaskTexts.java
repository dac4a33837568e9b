package dev.taskq.gateway.mcp;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.gateway.persistence.WorkflowDetails;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskLogEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Tasks in the few lines a model reads and acts on: full ids, state, what it waits for, its result and what to do next. */
final class TaskTexts {

    static final int PROMPT_CHARS = 300;
    static final int RESULT_CHARS = 4000;
    static final int LOG_LINE_CHARS = 1000;
    static final int QUESTION_CHARS = 4000;

    private TaskTexts() {}

    /** What a submission (a new task, a retry or a resume) created. */
    static String created(String what, TaskDetails details) {
        TaskEntity task = details.task();
        StringBuilder text = new StringBuilder(what).append(' ').append(task.id).append(' ')
                .append(switch (task.status) {
                    case QUEUED -> "queued";
                    case WAITING -> "is waiting for its dependencies";
                    default -> "is " + task.status + (task.statusReason == null ? "" : ": " + task.statusReason);
                })
                .append(" (").append(priority(task.priority)).append(", pool ").append(task.pool).append(')');
        if (details.waitingReason() != null && task.status != TaskStatus.WAITING) {
            text.append("; ").append(details.waitingReason());
        }
        return text.append(". Check it with TaskStatus.").toString();
    }

    /** One task in full: state, attempts, why it waits, result, cost, errors, relations and next steps. */
    static String status(TaskDetails details) {
        TaskEntity task = details.task();
        StringBuilder text = new StringBuilder("Task ").append(task.id).append(": ").append(task.status);
        if (task.currentAttempt > 0) {
            text.append(", attempt ").append(task.currentAttempt).append(" of ").append(task.maxAttempts);
        }
        text.append(", ").append(priority(task.priority)).append(", pool ").append(task.pool).append('.');
        line(text, "Prompt", abbreviate(task.prompt, PROMPT_CHARS));
        line(text, "Waiting", details.waitingReason());
        Optional<TaskQuestionEntity> question = details.pendingQuestion();
        if (question.isPresent()) {
            // The status reason only repeats the question's start.
            text.append("\nQuestion (attempt ").append(question.get().key.attempt()).append(", asked ")
                    .append(question.get().askedAt).append("):\n").append(abbreviate(question.get().question, QUESTION_CHARS));
        } else {
            line(text, task.status.isTerminal() ? "Ended" : "Reason", task.statusReason);
        }
        if (task.resultSubtype != null || task.resultText != null) {
            line(text, "Result", outcome(task) + (task.resultText == null ? "" : "\n" + abbreviate(task.resultText, RESULT_CHARS)));
        }
        line(text, "Error", error(task));
        if (!details.dependsOn().isEmpty()) {
            line(text, "Depends on", ids(details.dependsOn())
                    + (task.continueFrom == null ? "" : " (continues from " + task.continueFrom + ")")
                    + (task.status == TaskStatus.WAITING
                    ? "; if one fails: " + task.onDependencyFailure.name().toLowerCase(Locale.ROOT) : ""));
        }
        if (task.repoUrl != null) {
            line(text, "Repo", task.repoUrl + (task.repoRef == null ? "" : " at " + task.repoRef));
        }
        if (task.workflowId != null) {
            line(text, "Workflow", task.workflowId + (task.workflowRef == null ? "" : " as '" + task.workflowRef + "'"));
        }
        line(text, "Retry of", task.retryOf);
        line(text, "Resumes task", task.parentTaskId);
        if (task.checkpoint != null && task.checkpoint.gitCommit() != null) {
            line(text, "Git", task.checkpoint.gitBranch() + " at " + task.checkpoint.gitCommit()
                    + (task.checkpoint.dirtyFiles() == null || task.checkpoint.dirtyFiles().isEmpty() ? ""
                    : ", " + task.checkpoint.dirtyFiles().size() + " dirty files"));
        }
        line(text, "Created", task.createdAt);
        line(text, "Finished", task.finishedAt);
        line(text, "Next", nextSteps(task));
        return text.toString();
    }

    /** What answering a task's question did. */
    static String answered(TaskDetails details) {
        TaskEntity task = details.task();
        return "Answered task " + task.id + ": it is " + task.status + " again; its session " + task.resumeSessionId
                + " resumes with your answer once a worker takes it. Check it with TaskStatus.";
    }

    /** One line of a task list. */
    static String listLine(TaskEntity task) {
        return task.id + "  " + task.status + "  " + priority(task.priority) + "  pool " + task.pool
                + (task.workflowRef == null ? "" : "  ref " + task.workflowRef)
                + "  " + abbreviate(task.prompt.replace('\n', ' '), 80);
    }

    /** One log line: its kind and text. */
    static String logLine(TaskLogEntity line) {
        return "[" + line.kind + "] " + abbreviate(line.text, LOG_LINE_CHARS);
    }

    /** What a workflow submission created, one line per task in request order. */
    static String workflowCreated(WorkflowDetails details) {
        StringBuilder text = new StringBuilder("Workflow ").append(details.workflow().id)
                .append(details.workflow().name == null ? "" : " ('" + details.workflow().name + "')")
                .append(" created with ").append(details.nodes().size()).append(details.nodes().size() == 1 ? " task:" : " tasks:");
        for (WorkflowDetails.Node node : details.nodes()) {
            text.append("\n- ").append(node.ref()).append(": ").append(node.id()).append(' ').append(node.status());
            if (node.statusReason() != null) {
                text.append(" (").append(node.statusReason()).append(')');
            }
        }
        return text.append("\nCheck a task with TaskStatus, or all of them with ListTasks.").toString();
    }

    static String priority(int priority) {
        return PriorityClass.of(priority).name();
    }

    static String abbreviate(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "… [" + (text.length() - max) + " more characters]" : text;
    }

    /** How the session ended: subtype, turns and cost. */
    private static String outcome(TaskEntity task) {
        return (task.resultSubtype == null ? "no result line" : task.resultSubtype)
                + (Boolean.TRUE.equals(task.resultIsError) ? " (is_error)" : "")
                + (task.numTurns == null ? "" : ", " + task.numTurns + " turns")
                + (task.totalCostUsd == null ? "" : ", cost $" + task.totalCostUsd.setScale(4, RoundingMode.HALF_UP));
    }

    /** Why the last attempt failed and how its process exited, when either is known. */
    private static String error(TaskEntity task) {
        List<String> parts = new ArrayList<>();
        if (task.failureCause != null) {
            parts.add("cause " + task.failureCause);
        }
        if (task.exitCode != null && task.exitCode != 0) {
            parts.add("exit code " + task.exitCode);
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String nextSteps(TaskEntity task) {
        return switch (task.status) {
            case WAITING, QUEUED, DISPATCHED, RUNNING -> "read its output with TaskLogs; stop it with CancelTask.";
            case WAITING_FOR_INPUT -> "its session asked a question; answer it with AnswerQuestion, or stop it with CancelTask.";
            case SUCCEEDED -> task.sessionId == null ? null : "continue its session with ResumeTask.";
            case FAILED, TIMED_OUT, CANCELLED -> "run it again with RetryTask"
                    + (task.sessionId == null ? "." : ", or continue its session with ResumeTask.");
            case UPSTREAM_FAILED, SKIPPED -> "it never ran; retry the dependency it names instead.";
        };
    }

    private static String ids(List<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(", "));
    }

    private static void line(StringBuilder text, String label, Object value) {
        if (value != null) {
            text.append('\n').append(label).append(": ").append(value);
        }
    }
}
