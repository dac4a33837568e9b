package dev.taskq.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The CLI's exit codes: the table `taskq --help` and the README show. */
public final class ExitCodes {

    /** Done; with --wait or --follow, the task or workflow succeeded. */
    public static final int OK = 0;
    /** The task or workflow waited for (--wait, --follow, logs -f) ended without success. */
    public static final int UNSUCCESSFUL = 1;
    /** Unknown command or option, a bad option value, an unreadable file or config. */
    public static final int USAGE = 2;
    /** The API rejected the request: an invalid field, a conflict, a missing or wrong token (a 4xx but 404). */
    public static final int REJECTED = 3;
    /** No such task, workflow or schedule (404). */
    public static final int NOT_FOUND = 4;
    /** The server failed (5xx), could not be reached, or answered something the CLI cannot read. */
    public static final int UNAVAILABLE = 5;
    /** The task waited for (--wait, --follow, logs -f) asks a question (WAITING_FOR_INPUT): answer it with taskq answer. */
    public static final int NEEDS_ANSWER = 6;

    /** The table {@code --help} shows (picocli's exit code list); keep in step with the constants and the README. */
    static Map<String, String> helpTable() {
        Map<String, String> table = new LinkedHashMap<>();
        table.put(Integer.toString(OK), "done; with --wait/--follow/logs -f, the task or workflow SUCCEEDED");
        table.put(Integer.toString(UNSUCCESSFUL), "the task or workflow waited for ended otherwise (FAILED, TIMED_OUT, CANCELLED, ...)");
        table.put(Integer.toString(USAGE), "usage error: unknown command or option, bad value, unreadable file or config");
        table.put(Integer.toString(REJECTED), "the API rejected the request (4xx but 404): invalid field, conflict, wrong token");
        table.put(Integer.toString(NOT_FOUND), "not found (404): no such task, workflow or schedule");
        table.put(Integer.toString(UNAVAILABLE), "server error (5xx), server unreachable, or an unreadable answer");
        table.put(Integer.toString(NEEDS_ANSWER), "the task waited for asks a question (WAITING_FOR_INPUT): taskq answer ID TEXT");
        return table;
    }

    private ExitCodes() {
    }
}
