package dev.taskq.common.security;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text that leaves a process: session output, notification texts, log lines. Each known format
 * keeps its recognisable prefix (so a reader sees what leaked) and loses the secret part.
 */
public final class Redactor {

    /** What replaces a secret. */
    public static final String MASK = "[REDACTED]";

    /** A secret format: group 1 is kept, the rest of the match is masked. */
    private record Format(String name, Pattern pattern) {}

    // Boundaries keep a format from matching inside a longer word; lengths are each format's documented minimum or less.
    private static final List<Format> FORMATS = List.of(
            new Format("anthropic", Pattern.compile("(?<![A-Za-z0-9])(sk-ant-)[A-Za-z0-9_-]{8,}")),
            new Format("github-classic", Pattern.compile("(?<![A-Za-z0-9])(gh[pousr]_)[A-Za-z0-9]{16,}")),
            new Format("github-fine-grained", Pattern.compile("(?<![A-Za-z0-9])(github_pat_)[A-Za-z0-9_]{16,}")),
            new Format("slack", Pattern.compile("(?<![A-Za-z0-9])(xox[abposr]-)[A-Za-z0-9-]{8,}")),
            new Format("webhook-secret", Pattern.compile("(?<![A-Za-z0-9])(whsec_)[A-Za-z0-9+/=_-]{8,}")),
            new Format("taskq-api-key", Pattern.compile("(?<![A-Za-z0-9])(tq_)[A-Za-z0-9]{16,}")),
            new Format("aws-access-key", Pattern.compile("(?<![A-Z0-9])((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA))[A-Z0-9]{16}(?![A-Z0-9])")),
            // Last: a bearer header whose token is one of the formats above is already masked.
            new Format("bearer", Pattern.compile("(?i)(\\bBearer\\s+)(?!\\[REDACTED\\])[A-Za-z0-9._~+/=-]{8,}")));

    private Redactor() {}

    /** {@code text} with every known credential masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Format format : FORMATS) {
            Matcher matcher = format.pattern().matcher(result);
            if (matcher.find()) {
                result = matcher.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + MASK));
            }
        }
        return result;
    }
}
