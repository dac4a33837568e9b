package dev.taskq.store.lifecycle;

/**
 * The texts around a question a session asked a human: its short form in a status reason, and what the resumed
 * session is told once it is answered:
 *
 * <pre>{@code
 * A human answered the question you asked.
 *
 * <question>
 * <the question>
 * </question>
 *
 * <answer>
 * <the answer>
 * </answer>
 *
 * Continue the task with this answer.
 * }</pre>
 */
public final class QuestionText {

    /** The most characters of the question a status reason repeats. */
    public static final int MAX_PREVIEW_CHARS = 200;

    private QuestionText() {}

    /** The question on one line, cut to {@link #MAX_PREVIEW_CHARS} with an ellipsis. */
    public static String preview(String question) {
        String oneLine = question.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_PREVIEW_CHARS ? oneLine : oneLine.substring(0, MAX_PREVIEW_CHARS) + "…";
    }

    /** The prompt that resumes the session which asked {@code question}. */
    public static String answerPrompt(String question, String answer) {
        return "A human answered the question you asked.\n\n<question>\n" + question + "\n</question>\n\n<answer>\n"
                + answer + "\n</answer>\n\nContinue the task with this answer.";
    }
}
