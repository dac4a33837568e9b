package dev.taskq.dependency.domain;

import dev.taskq.common.event.Checkpoint;
import dev.taskq.dependency.persistence.TaskOutputTail;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Builds the prompt a task is dispatched with: its own prompt, followed, when it continues other work, by a block
 * that tells the model what that work left behind.
 *
 * <p>A task gets a block for its {@code continue_from} task, and, when it is a resume whose session could not be
 * resumed ({@code resumeFallback}), one for its {@code parent_task_id} (a task with both gets both, the resume's
 * first). Without either the prompt is returned unchanged. Each block reads:
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
 * <p>Whatever is cut says so with a {@code [… N characters cut]} marker (lines: {@code [… N earlier lines cut]},
 * files: {@code [… and N more]}, or {@code [… and over N more]} when the worker's own list was cut). The block, from its opening tag to its closing one, is at most
 * {@link #MAX_BLOCK_CHARS} characters: the output gets what the other sections leave of that (always several
 * thousand characters) and keeps its newest lines. Text is copied verbatim, except that a closing tag of one of
 * the block's own elements inside it becomes {@code <\/…} so that it cannot end the block early.
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

    static final String CONTINUE_FROM_INTRO_START = "This task continues from task ";
    static final String CONTINUE_FROM_INTRO_END = ". Below is what that task left behind: how it ended, its result, "
            + "the end of its output and the state of its working directory.";
    static final String RESUME_FALLBACK_INTRO_START = "This task was meant to resume the session of task ";
    static final String RESUME_FALLBACK_INTRO_END = ", but that session could not be resumed (its transcript is not "
            + "available), so this is a fresh session. Below is a summary of that task instead: how it ended, its "
            + "result, the end of its output and the state of its working directory. Pick the work up from there.";

    private static final Logger LOG = Logger.getLogger(ContinuationPrompt.class);
    private static final Pattern OWN_CLOSING_TAG = Pattern.compile("</(?=(?:context-from-task|status|errors|result|output|git)\\b)");
    private static final String CLOSE = "</context-from-task>";

    private enum Relation { RESUME_FALLBACK, CONTINUE_FROM }

    private final TaskRepository tasks;
    private final TaskOutputTail outputTail;

    public ContinuationPrompt(TaskRepository tasks, TaskOutputTail outputTail) {
        this.tasks = tasks;
        this.outputTail = outputTail;
    }

    /**
     * The prompt to dispatch {@code task} with; {@code resumeFallback} when it should have resumed its parent's
     * session but that session is not available. Needs a transaction (it reads the source tasks and their output).
     */
    public String promptFor(TaskEntity task, boolean resumeFallback) {
        UUID resumed = resumeFallback ? task.parentTaskId : null;
        UUID continued = task.continueFrom == null || task.continueFrom.equals(resumed) ? null : task.continueFrom;
        if (resumed == null && continued == null) {
            return task.prompt;
        }
        StringBuilder prompt = new StringBuilder(task.prompt);
        if (resumed != null) {
            appendBlock(prompt, task, resumed, Relation.RESUME_FALLBACK);
        }
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
        StringBuilder head = new StringBuilder();
        head.append("<context-from-task id=\"").append(source.id).append("\" relation=\"")
                .append(relation == Relation.RESUME_FALLBACK ? "resume-fallback" : "continue-from").append("\">\n");
        head.append(relation == Relation.RESUME_FALLBACK
                ? RESUME_FALLBACK_INTRO_START + source.id + RESUME_FALLBACK_INTRO_END
                : CONTINUE_FROM_INTRO_START + source.id + CONTINUE_FROM_INTRO_END).append('\n');
        head.append("<status>").append(source.status);
        if (source.statusReason != null && !source.statusReason.isBlank()) {
            head.append(": ").append(cut(source.statusReason, MAX_REASON_CHARS));
        }
        head.append("</status>\n");
        appendErrors(head, source);
        if (source.resultText != null && !source.resultText.isEmpty()) {
            head.append("<result>\n").append(cut(source.resultText, MAX_RESULT_CHARS)).append("\n</result>\n");
        }
        String git = git(source.checkpoint);
        int outputBudget = MAX_BLOCK_CHARS - head.length() - git.length() - CLOSE.length();
        return head + output(source, outputBudget) + git + CLOSE;
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

    /** The output section in at most {@code budget} characters, keeping the newest lines that fit. */
    private String output(TaskEntity source, int budget) {
        if (source.currentAttempt < 1) {
            return "";
        }
        List<TaskOutputTail.Line> lines = outputTail.lastLines(source.id, source.currentAttempt, MAX_OUTPUT_LINES, MAX_LINE_CHARS);
        if (lines.isEmpty()) {
            return "";
        }
        List<String> rendered = new ArrayList<>(lines.size());
        for (TaskOutputTail.Line line : lines) {
            rendered.add(cutLine(line));
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
        section.append("<output attempt=\"").append(source.currentAttempt).append("\" lines=\"")
                .append(lines.get(first).lineNumber()).append('-').append(lines.getLast().lineNumber()).append("\">\n");
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
