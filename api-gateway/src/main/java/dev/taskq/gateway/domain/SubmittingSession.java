package dev.taskq.gateway.domain;

import java.util.regex.Pattern;

/**
 * The Claude Code session a submission came from, recorded on the tasks it creates so the main-session kit's hooks can
 * tell that session what became of them: the header that names it and the rule its value follows.
 */
public final class SubmittingSession {

    /** The header a REST or MCP client names its session in. */
    public static final String HEADER = "X-Claude-Session-Id";
    /** The characters a session id may have, as the OpenAPI document states it. */
    public static final String PATTERN = "^[A-Za-z0-9._:-]+$";
    public static final int MAX_LENGTH = 200;
    /** The rule, for the OpenAPI document and problem details. */
    public static final String RULE = "1 to 200 characters: letters, digits and . _ : - (Claude Code's session ids are UUIDs)";
    public static final String DESCRIPTION = "The Claude Code session submitting: recorded as submittedBySession on what "
            + "this request creates, so GET /api/v1/tasks?submittedBySession= and the session hooks (/api/v1/hooks/...) find it. "
            + RULE + ".";

    // A conservative alphabet: the value is stored, compared and echoed into a session's context, never parsed.
    private static final Pattern FORM = Pattern.compile(PATTERN);

    private SubmittingSession() {}

    /**
     * {@code value} when it is a session id, null when it is null or empty (none named); anything else is an
     * {@link InvalidRequestException} naming {@code field}.
     */
    public static String check(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_LENGTH || !FORM.matcher(value).matches()) {
            throw new InvalidRequestException(field, "must be " + RULE + ", got " + value.length() + " characters");
        }
        return value;
    }
}
