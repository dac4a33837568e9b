package dev.taskq.dependency.domain;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.dependency.persistence.TaskOutputTail;
import dev.taskq.store.persistence.TaskAttemptEntity;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import dev.taskq.store.persistence.TaskQuestionRepository;
import dev.taskq.store.persistence.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Builds the prompt a task is dispatched with: its own prompt, followed, when it continues other work, by blocks
 * that tell the model what that work left behind.
 *
 * <p>A task gets, in this order, when it applies:
 * <ol>
 *   <li>{@code resume-fallback}: it is a resume whose session could not be resumed ({@code resumeFallback}); the
 *       source is its {@code parent_task_id}.
 *   <li>{@code answered-question}: its own session asked a human a question, was answered, and could not be resumed
 *       with the answer ({@code resumeFallback} with a {@code resume_prompt}); the source is the task itself, at the
 *       attempt that asked.
 *   <li>{@code interrupted-attempt}: its previous attempt was interrupted from outside (the worker was drained:
 *       {@code DRAINED}, or lost: {@code WORKER_LOST}) and left output or a checkpoint behind; the source is the task
 *       itself, at that attempt.
 *   <li>{@code continue-from}: its {@code continue_from} task (unless that is the parent a resume-fallback block
 *       already describes).
 * </ol>
 * Without any the prompt is returned unchanged. A continue-from block reads:
 *
 * <pre>{@code
 * <prompt of the task>
 *
 * <context-from-task id="<source id>" relation="continue-from">
 * This task continues from task <source id>. Below is what that task left behind: how it ended, its result,
 * the end of its output and the state of its working directory.
 * <status>FAILED: <status reason></status>
 * <errors>
 * failure cause: API_UNAVAILABLE
 * result is error: true
 * exit code: 1
 * </errors>
 * <result>
 * <result text>
 * [… 1234 characters cut]
 * </result>
 * <output attempt="2" lines="31-80">
 * [… 3 earlier lines cut]
 * <line>
 * <line>[… 120 characters cut]
 * </output>
 * <git>
 * working dir: /repo
 * branch: main
 * commit: 0123abcd
 * dirty files:
 * src/A.java
 * [… and 7 more]
 * </git>
 * </context-from-task>
 * }</pre>
 *
 * <p>For the resume fallback the relation is {@code resume-fallback} and the opening paragraph reads: "This task
 * was meant to resume the session of task &lt;source id&gt;, but that session could not be resumed (its transcript is
 * not available), so this is a fresh session. Below is a summary of that task instead: how it ended, its result, the
 * end of its output and the state of its working directory. Pick the work up from there."
 *
 * <ul>
 *   <li>{@code <status>}: the source's status, then its status reason (at most {@link #MAX_REASON_CHARS}) if any.
 *   <li>{@code <errors>}: only the lines that apply: the failure cause, {@code result is error: true}, a non-zero
 *       exit code; left out when none does.
 *   <li>{@code <result>}: the result text, at most {@link #MAX_RESULT_CHARS}; left out when there is none.
 *   <li>{@code <output>}: the last {@link #MAX_OUTPUT_LINES} lines of the source's current attempt, oldest first,
 *       each at most {@link #MAX_LINE_CHARS}; {@code lines} gives their line numbers. Left out when none is stored.
 *   <li>{@code <git>}: from the source's checkpoint: the known fields, and dirty files up to
 *       {@link #MAX_GIT_CHARS} for the whole section; left out when there is no checkpoint.
 * </ul>
 *
 * <p>The two blocks about the task itself have no status, errors or result (the task has not ended); they read:
 *
 * <pre>{@code
 * <context-from-task id="<task id>" relation="answered-question">
 * Earlier, this task's session (attempt 2) asked a human the question below and was to be resumed with the answer,
 * but that session could not be resumed (its worker is gone or no longer holds its transcript), so this is a fresh
 * session. Below are the question, the answer, the end of that session's output and the state of its working
 * directory. Pick the work up from there, using the answer.
 * <question>
 * <the question, at most MAX_QUESTION_CHARS>
 * </question>
 * <answer>
 * <the answer, at most MAX_ANSWER_CHARS>
 * </answer>
 * <output attempt="2" lines="12-61">…</output>
 * <git>…</git>
 * </context-from-task>
 *
 * <context-from-task id="<task id>" relation="interrupted-attempt">
 * The previous attempt of this task (attempt 3) was interrupted before it finished: its worker w-7 was shut down and
 * handed the task back. This is a fresh session, possibly on another worker, so the working directory may or may
 * not hold that attempt's changes; check before relying on them. Below are the end of that attempt's output and the
 * state of its working directory when it was last read. Pick the work up from there.
 * <output attempt="3" lines="80-129">…</output>
 * <git>…</git>
 * </context-from-task>
 * }</pre>
 *
 * For a lost worker the reason reads "its worker w-7 stopped responding". Their {@code <output>} is that attempt's
 * stored output as above or, when none is stored, the last lines its checkpoint carries (then without {@code lines});
 * their {@code <git>} is that attempt's checkpoint (the last periodic one, or the one it ended with). An
 * interrupted-attempt block with neither output nor git state is left out: that attempt left nothing to pick up.
 *
 * <p>Whatever is cut says so with a {@code [… N characters cut]} marker (lines: {@code [… N earlier lines cut]},
 * files: {@code [… and N more]}, or {@code [… and over N more]} when the worker's own list was cut). Each block, from
 * its opening tag to its closing one, is at most {@link #MAX_BLOCK_CHARS} characters: the output gets what the other
 * sections leave of that (always several thousand characters) and keeps its newest lines. Text is copied verbatim,
 * except that a closing tag of one of the blocks' own elements inside it becomes {@code <\/…} so that it cannot end
 * the block early.
 */
@ApplicationScoped
public class ContinuationPrompt {

    /** The most characters of a block, tags included. */
    public static final int MAX_BLOCK_CHARS = 16_384;
    /** The most characters of the source's result text. */
    public static final int MAX_RESULT_CHARS = 8_000;
    /** The most output lines, counted back from the source's last one. */
    public static final int MAX_OUTPUT_LINES = 50;
    /** The most characters of one output line. */
    public static final int MAX_LINE_CHARS = 400;
    /** The most characters of the source's status reason. */
    public static final int MAX_REASON_CHARS = 1_000;
    /** The most characters of the git section's contents. */
    public static final int MAX_GIT_CHARS = 2_000;
    /** The most characters of a question a session asked. */
    public static final int MAX_QUESTION_CHARS = 4_000;
    /** The most characters of the answer to it. */
    public static final int MAX_ANSWER_CHARS = 4_000;

    static final String CONTINUE_FROM_INTRO_START = "This task continues from task ";
    static final String CONTINUE_FROM_INTRO_END = ". Below is what that task left behind: how it ended, its result, "
            + "the end of its output and the state of its working directory.";
    static final String RESUME_FALLBACK_INTRO_START = "This task was meant to resume the session of task ";
    static final String RESUME_FALLBACK_INTRO_END = ", but that session could not be resumed (its transcript is not "
            + "available), so this is a fresh session. Below is a summary of that task instead: how it ended, its "
            + "result, the end of its output and the state of its working directory. Pick the work up from there.";
    static final String ANSWERED_QUESTION_INTRO = "Earlier, this task's session (attempt %d) asked a human the question "
            + "below and was to be resumed with the answer, but that session could not be resumed (its worker is gone or "
            + "no longer holds its transcript), so this is a fresh session. Below are the question, the answer, the end of "
            + "that session's output and the state of its working directory. Pick the work up from there, using the answer.";
    static final String INTERRUPTED_INTRO = "The previous attempt of this task (attempt %d) was interrupted before it "
            + "finished: %s. This is a fresh session, possibly on another worker, so the working directory may or may not "
            + "hold that attempt's changes; check before relying on them. Below are the end of that attempt's output and "
            + "the state of its working directory when it was last read. Pick the work up from there.";

    private static final Logger LOG = Logger.getLogger(ContinuationPrompt.class);
    private static final Pattern OWN_CLOSING_TAG = Pattern.compile(
            "</(?=(?:context-from-task|status|errors|result|output|git|question|answer)\\b)");
    private static final String CLOSE = "</context-from-task>";
    /** The attempt endings that interrupt a session from outside: what it did may be half done. */
    private static final Set<FailureCause> INTERRUPTIONS = EnumSet.of(FailureCause.DRAINED, FailureCause.WORKER_LOST);

    private enum Relation {
        RESUME_FALLBACK("resume-fallback"),
        ANSWERED_QUESTION("answered-question"),
        INTERRUPTED_ATTEMPT("interrupted-attempt"),
        CONTINUE_FROM("continue-from");

        final String attribute;

        Relation(String attribute) {
            this.attribute = attribute;
        }
    }

    /** Which attempt's output a block quotes; {@code fallbackLines} when none of it is stored (a checkpoint's). */
    private record OutputSource(UUID taskId, int attempt, List<String> fallbackLines) {}

    private final TaskRepository tasks;
    private final TaskAttemptRepository attempts;
    private final TaskQuestionRepository questions;
    private final TaskOutputTail outputTail;
    private final RescuedAttempts rescued;

    public ContinuationPrompt(TaskRepository tasks, TaskAttemptRepository attempts, TaskQuestionRepository questions,
            TaskOutputTail outputTail, RescuedAttempts rescued) {
        this.tasks = tasks;
        this.rescued = rescued;
        this.attempts = attempts;
        this.questions = questions;
        this.outputTail = outputTail;
    }

    /**
     * The prompt to dispatch {@code task}'s next attempt with; call it before that attempt is opened (its
     * {@code currentAttempt} is the attempt before). {@code resumeFallback} when the task should have resumed a session
     * ({@code resumeSessionId}: its parent's, or its own that asked a question) but that session is not available.
     * Needs a transaction (it reads the source tasks, attempts, questions and output).
     */
    public String promptFor(TaskEntity task, boolean resumeFallback) {
        UUID resumed = resumeFallback ? task.parentTaskId : null;
        UUID continued = task.continueFrom == null || task.continueFrom.equals(resumed) ? null : task.continueFrom;
        StringBuilder prompt = new StringBuilder(task.prompt);
        if (resumed != null) {
            appendBlock(prompt, task, resumed, Relation.RESUME_FALLBACK);
        }
        if (resumeFallback && task.resumePrompt != null) {
            appendAnsweredQuestion(prompt, task);
        }
        appendInterruptedAttempt(prompt, task);
        if (continued != null) {
            appendBlock(prompt, task, continued, Relation.CONTINUE_FROM);
        }
        return prompt.toString();
    }

    private void appendBlock(StringBuilder prompt, TaskEntity task, UUID sourceId, Relation relation) {
        TaskEntity source = tasks.findById(sourceId);
        if (source == null) {
            LOG.warnf("Task %s continues task %s, which does not exist; its prompt gets no context from it", task.id, sourceId);
            return;
        }
        prompt.append("\n\n").append(block(source, relation));
    }

    private String block(TaskEntity source, Relation relation) {
        StringBuilder head = open(source.id, relation, relation == Relation.RESUME_FALLBACK
                ? RESUME_FALLBACK_INTRO_START + source.id + RESUME_FALLBACK_INTRO_END
                : CONTINUE_FROM_INTRO_START + source.id + CONTINUE_FROM_INTRO_END);
        head.append("<status>").append(source.status);
        if (source.statusReason != null && !source.statusReason.isBlank()) {
            head.append(": ").append(cut(source.statusReason, MAX_REASON_CHARS));
        }
        head.append("</status>\n");
        appendErrors(head, source);
        if (source.resultText != null && !source.resultText.isEmpty()) {
            head.append("<result>\n").append(cut(source.resultText, MAX_RESULT_CHARS)).append("\n</result>\n");
        }
        return close(head, new OutputSource(source.id, source.currentAttempt, List.of()), source.checkpoint);
    }

    /**
     * The block of a task whose own session asked a question, was answered, and cannot be resumed: the question, the
     * answer, and that session's output and git state. Its source is the task itself, at the attempt that asked.
     */
    private void appendAnsweredQuestion(StringBuilder prompt, TaskEntity task) {
        Optional<TaskQuestionEntity> answered = questions.listFor(task.id).stream()
                .filter(question -> question.answer != null)
                .reduce((earlier, later) -> later);
        if (answered.isEmpty()) {
            LOG.warnf("Task %s resumes with an answer but has no answered question; its fresh session is not told of it", task.id);
            return;
        }
        TaskQuestionEntity question = answered.get();
        int asked = question.key.attempt();
        StringBuilder head = open(task.id, Relation.ANSWERED_QUESTION, ANSWERED_QUESTION_INTRO.formatted(asked));
        head.append("<question>\n").append(cut(question.question, MAX_QUESTION_CHARS)).append("\n</question>\n");
        head.append("<answer>\n").append(cut(question.answer, MAX_ANSWER_CHARS)).append("\n</answer>\n");
        Checkpoint checkpoint = attempts.find(task.id, asked).map(row -> row.checkpoint).orElse(null);
        prompt.append("\n\n").append(close(head, new OutputSource(task.id, asked, lastLines(checkpoint)), checkpoint));
    }

    /**
     * The block of a retry whose previous attempt was interrupted from outside (its worker was drained or lost) and
     * left something behind (stored output or a checkpoint): what it printed last and where its directory stood.
     */
    private void appendInterruptedAttempt(StringBuilder prompt, TaskEntity task) {
        if (task.currentAttempt < 1) {
            return;
        }
        // A rescued dispatch never ran: the attempt a retry picks up from is the last one that counts.
        Optional<TaskAttemptEntity> previous = rescued.latestCounted(task.id, task.currentAttempt);
        if (previous.isEmpty() || !INTERRUPTIONS.contains(previous.get().failureCause)) {
            return;
        }
        TaskAttemptEntity attempt = previous.get();
        OutputSource output = new OutputSource(task.id, attempt.key.attempt(), lastLines(attempt.checkpoint));
        String worker = attempt.workerId == null ? "its worker" : "its worker " + attempt.workerId;
        String why = attempt.failureCause == FailureCause.DRAINED
                ? worker + " was shut down and handed the task back"
                : worker + " stopped responding";
        StringBuilder head = open(task.id, Relation.INTERRUPTED_ATTEMPT, INTERRUPTED_INTRO.formatted(attempt.key.attempt(), why));
        String block = close(head, output, attempt.checkpoint);
        // No output and no git state: the attempt never got going, and there is nothing to pick up.
        if (block.length() > head.length() + CLOSE.length()) {
            prompt.append("\n\n").append(block);
        }
    }

    private static StringBuilder open(UUID sourceId, Relation relation, String intro) {
        StringBuilder head = new StringBuilder();
        head.append("<context-from-task id=\"").append(sourceId).append("\" relation=\"").append(relation.attribute).append("\">\n");
        return head.append(intro).append('\n');
    }

    /** The head, then as much output as the block's limit leaves room for, then the git state, then the closing tag. */
    private String close(StringBuilder head, OutputSource output, Checkpoint checkpoint) {
        String git = git(checkpoint);
        int outputBudget = MAX_BLOCK_CHARS - head.length() - git.length() - CLOSE.length();
        return head + output(output, outputBudget) + git + CLOSE;
    }

    private static List<String> lastLines(Checkpoint checkpoint) {
        return checkpoint == null ? List.of() : checkpoint.lastLines();
    }

    private static void appendErrors(StringBuilder block, TaskEntity source) {
        List<String> errors = new ArrayList<>();
        if (source.failureCause != null) {
            errors.add("failure cause: " + source.failureCause);
        }
        if (Boolean.TRUE.equals(source.resultIsError)) {
            errors.add("result is error: true");
        }
        if (source.exitCode != null && source.exitCode != 0) {
            errors.add("exit code: " + source.exitCode);
        }
        if (!errors.isEmpty()) {
            block.append("<errors>\n").append(String.join("\n", errors)).append("\n</errors>\n");
        }
    }

    /**
     * The output section in at most {@code budget} characters, keeping the newest lines that fit: the attempt's stored
     * lines with their numbers, or, when none is stored, the checkpoint's lines without.
     */
    private String output(OutputSource source, int budget) {
        if (source.attempt() < 1) {
            return "";
        }
        List<TaskOutputTail.Line> lines = outputTail.lastLines(source.taskId(), source.attempt(), MAX_OUTPUT_LINES, MAX_LINE_CHARS);
        List<String> rendered = new ArrayList<>();
        if (!lines.isEmpty()) {
            for (TaskOutputTail.Line line : lines) {
                rendered.add(cutLine(line));
            }
        } else {
            List<String> fallback = source.fallbackLines();
            for (String line : fallback.subList(Math.max(0, fallback.size() - MAX_OUTPUT_LINES), fallback.size())) {
                rendered.add(cutLine(new TaskOutputTail.Line(0, line == null ? "" : line, line == null ? 0 : line.length())));
            }
        }
        if (rendered.isEmpty()) {
            return "";
        }
        // Room for the tags and the "earlier lines cut" marker, whose numbers are at most a few digits.
        int room = budget - 120;
        int kept = 0;
        int used = 0;
        for (int i = rendered.size() - 1; i >= 0; i--) {
            int size = rendered.get(i).length() + 1;
            if (used + size > room) {
                break;
            }
            used += size;
            kept++;
        }
        if (kept == 0) {
            return "";
        }
        int first = rendered.size() - kept;
        StringBuilder section = new StringBuilder();
        section.append("<output attempt=\"").append(source.attempt()).append('"');
        if (!lines.isEmpty()) {
            section.append(" lines=\"").append(lines.get(first).lineNumber()).append('-').append(lines.getLast().lineNumber()).append('"');
        }
        section.append(">\n");
        if (first > 0) {
            section.append("[… ").append(first).append(" earlier lines cut]\n");
        }
        for (int i = first; i < rendered.size(); i++) {
            section.append(rendered.get(i)).append('\n');
        }
        return section.append("</output>\n").toString();
    }

    private static String cutLine(TaskOutputTail.Line line) {
        String text = neutralize(line.text());
        int cutChars = line.length() - line.text().length();
        if (text.length() > MAX_LINE_CHARS) {
            int keep = safeEnd(text, MAX_LINE_CHARS);
            cutChars += text.length() - keep;
            text = text.substring(0, keep);
        }
        return cutChars > 0 ? text + "[… " + cutChars + " characters cut]" : text;
    }

    private static String git(Checkpoint checkpoint) {
        if (checkpoint == null) {
            return "";
        }
        StringBuilder git = new StringBuilder();
        appendField(git, "working dir", checkpoint.workingDir());
        appendField(git, "branch", checkpoint.gitBranch());
        appendField(git, "commit", checkpoint.gitCommit());
        List<String> dirty = checkpoint.dirtyFiles() == null ? List.of() : checkpoint.dirtyFiles();
        if (!dirty.isEmpty()) {
            git.append("dirty files:\n");
            int listed = 0;
            for (String path : dirty) {
                String line = cut(path, 300) + "\n";
                // Leaves room for the "and N more" marker.
                if (git.length() + line.length() > MAX_GIT_CHARS - 40) {
                    break;
                }
                git.append(line);
                listed++;
            }
            int more = dirty.size() - listed;
            // A truncated list (the worker lists at most 50) means more files are dirty than even it knows of.
            if (checkpoint.dirtyFilesTruncated()) {
                git.append(more > 0 ? "[… and over " + more + " more]\n" : "[… and more]\n");
            } else if (more > 0) {
                git.append("[… and ").append(more).append(" more]\n");
            }
        }
        return git.isEmpty() ? "" : "<git>\n" + git + "</git>\n";
    }

    private static void appendField(StringBuilder git, String name, String value) {
        if (value != null && !value.isBlank()) {
            git.append(name).append(": ").append(cut(value, 300)).append('\n');
        }
    }

    /** The text with its own closing tags neutralized, cut to {@code max} characters with a marker if longer. */
    static String cut(String text, int max) {
        String safe = neutralize(text);
        if (safe.length() <= max) {
            return safe;
        }
        int keep = safeEnd(safe, max);
        return safe.substring(0, keep) + "\n[… " + (safe.length() - keep) + " characters cut]";
    }

    private static String neutralize(String text) {
        return OWN_CLOSING_TAG.matcher(text).replaceAll("<\\\\/");
    }

    // Never splits a surrogate pair: half an emoji is not text.
    private static int safeEnd(String text, int max) {
        return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    }
}
