package dev.taskq.gateway.domain;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.text.Ages;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.persistence.TaskListPage;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the main-session kit tells a Claude Code session about the tasks it delegated: the few lines its hooks put into
 * the session's context (SessionStart, the MCP check-in on each prompt) or in front of the user (Stop). Each line has the
 * full task id, its state and age, the head of its prompt, and the question of a task waiting for an answer; every
 * digest is capped ({@code taskq.api.hooks.max-tasks} per part, {@code max-chars} in all).
 */
@ApplicationScoped
public class SessionDigests {

    /** States a task that has not finished can be in. */
    public static final Set<TaskStatus> UNFINISHED = EnumSet.copyOf(Arrays.stream(TaskStatus.values())
            .filter(status -> !status.isTerminal()).toList());
    /** States worth telling a session about after the fact: every ending, and waiting for an answer. */
    static final Set<TaskStatus> NOTEWORTHY = EnumSet.copyOf(Arrays.stream(TaskStatus.values())
            .filter(status -> status.isTerminal() || status == TaskStatus.WAITING_FOR_INPUT).toList());

    static final int PROMPT_CHARS = 80;
    static final int QUESTION_CHARS = 300;
    static final int DETAIL_CHARS = 160;
    private static final String HOW_TO_FOLLOW = "Read a task's output with the taskq TaskLogs tool (or GET /api/v1/tasks/<id>/logs); "
            + "answer a waiting task with AnswerQuestion.";

    private final TaskQueries queries;
    private final GatewayConfig.Hooks config;

    public SessionDigests(TaskQueries queries, GatewayConfig config) {
        this.queries = queries;
        this.config = config.hooks();
    }

    /**
     * For SessionStart: the tasks this session delegated (a resumed or cleared session has some), then the tasks other
     * Claude sessions delegated that ended or began waiting within {@code taskq.api.hooks.recent-window}. Null when there
     * is nothing to tell.
     */
    public String sessionStart(String session, Instant now) {
        TaskListPage own = queries.delegatedBy(session, Set.of(), null, config.maxTasks());
        TaskListPage others = queries.delegatedByOthersSince(session, NOTEWORTHY, now.minus(config.recentWindow()),
                config.maxTasks());
        if (own.tasks().isEmpty() && others.tasks().isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder("taskq (the queue this project delegates background Claude Code sessions to):");
        if (!own.tasks().isEmpty()) {
            text.append("\nTasks this session delegated, newest first:");
            lines(text, own, now, session);
        }
        if (!others.tasks().isEmpty()) {
            text.append("\nTasks other Claude Code sessions delegated that ended or began waiting in the last ")
                    .append(Ages.of(config.recentWindow())).append(':');
            lines(text, others, now, null);
        }
        return cap(text.append('\n').append(HOW_TO_FOLLOW));
    }

    /**
     * For Stop: the tasks this session delegated that have not finished, those waiting for an answer first. Null when
     * every one has.
     */
    public Unfinished stop(String session, Instant now) {
        TaskListPage waiting = queries.delegatedBy(session, EnumSet.of(TaskStatus.WAITING_FOR_INPUT), null, config.maxTasks());
        Set<TaskStatus> others = EnumSet.copyOf(UNFINISHED);
        others.remove(TaskStatus.WAITING_FOR_INPUT);
        TaskListPage running = queries.delegatedBy(session, others, null, config.maxTasks());
        if (waiting.tasks().isEmpty() && running.tasks().isEmpty()) {
            return null;
        }
        int count = waiting.tasks().size() + running.tasks().size();
        boolean more = waiting.next() != null || running.next() != null;
        StringBuilder text = new StringBuilder("taskq: ").append(more ? "more than " + count : count)
                .append(count == 1 && !more ? " task" : " tasks").append(" this session delegated ")
                .append(count == 1 && !more ? "has" : "have").append(" not finished:");
        lines(text, waiting, now, null);
        lines(text, running, now, null);
        if (more) {
            text.append("\n- … and more: GET /api/v1/tasks?submittedBySession=").append(session);
        }
        return new Unfinished(cap(text.append('\n').append(HOW_TO_FOLLOW)), waiting.tasks().size());
    }

    /** What the Stop digest found: its text and how many of the tasks wait for an answer. */
    public record Unfinished(String text, int waitingForAnswer) {}

    /**
     * For the check-in on each prompt: the tasks this session delegated that ended or began waiting for an answer since
     * {@code since}, the previous check-in. Null when none did.
     */
    public String changedSince(String session, Instant since, Instant now) {
        TaskListPage changed = queries.delegatedBy(session, NOTEWORTHY, since, config.maxTasks());
        if (changed.tasks().isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder("taskq: since the last prompt, tasks this session delegated ended or began waiting:");
        lines(text, changed, now, session);
        return cap(text.append('\n').append(HOW_TO_FOLLOW));
    }

    private void lines(StringBuilder text, TaskListPage page, Instant now, String session) {
        for (TaskEntity task : page.tasks()) {
            text.append("\n- ").append(line(task, page.pendingQuestions().get(task.id), now));
        }
        if (page.next() != null && session != null) {
            text.append("\n- … and more: GET /api/v1/tasks?submittedBySession=").append(session);
        }
    }

    /** One task: id, state and age, the head of its prompt, and its question, error or result head. */
    static String line(TaskEntity task, TaskQuestionEntity question, Instant now) {
        StringBuilder line = new StringBuilder().append(task.id).append(' ').append(task.status);
        if (task.status.isTerminal()) {
            line.append(' ').append(Ages.of(Duration.between(task.finishedAt == null ? task.updatedAt : task.finishedAt, now))).append(" ago");
        } else {
            line.append(" for ").append(Ages.of(Duration.between(task.createdAt, now)));
        }
        line.append(": \"").append(oneLine(task.prompt, PROMPT_CHARS)).append('"');
        if (question != null) {
            line.append(" asks: \"").append(oneLine(question.question, QUESTION_CHARS)).append('"');
        } else if (task.status == TaskStatus.SUCCEEDED && task.resultText != null && !task.resultText.isBlank()) {
            line.append(" result: \"").append(oneLine(task.resultText, DETAIL_CHARS)).append('"');
        } else if (task.status.isTerminal() && task.statusReason != null) {
            line.append(" (").append(oneLine(task.statusReason, DETAIL_CHARS)).append(')');
        }
        return line.toString();
    }

    private static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    private String cap(StringBuilder text) {
        int max = config.maxChars();
        if (text.length() <= max) {
            return text.toString();
        }
        String marker = "\n[… " + (text.length() - max) + " more characters cut]";
        return text.substring(0, Math.max(0, max - marker.length())) + marker;
    }
}
