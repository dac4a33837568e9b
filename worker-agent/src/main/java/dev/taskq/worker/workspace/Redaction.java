package dev.taskq.worker.workspace;

import java.util.regex.Pattern;

/** Hides credentials written into URLs ({@code https://user:token@host/...}) before they reach a log or an event. */
public final class Redaction {

    // scheme://userinfo@ : userinfo is everything up to the first '@' that comes before any '/', so an '@' in a path
    // is left alone. scp-like "git@host:org/repo" carries no secret and is left as it is.
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");

    private Redaction() {}

    /** {@code text} with the userinfo of every URL in it replaced by {@code ***}; null stays null. */
    public static String redact(String text) {
        return text == null ? null : USERINFO.matcher(text).replaceAll("$1***@");
    }
}
