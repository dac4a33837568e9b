package dev.taskq.common.security;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a task may ask for: models, prompt patterns, repository hosts, and the most turns, timeout and budget. The gateway
 * checks it at submit (per role) and the worker again before it starts a session (its own configuration), so one class
 * decides both and names the broken rule the same way.
 *
 * @param allowedModels the models a task may name; empty allows any (a task naming none gets the worker's default)
 * @param blockedPatterns regular expressions no prompt may contain (searched, not matched whole)
 * @param allowedRepoHosts hosts a task's repository may be on (exact, case-insensitive); empty allows any
 * @param maxTurns the most turns a task may ask for; null for no limit
 * @param maxTimeoutSeconds the longest timeout a task may ask for; null for no limit
 * @param maxBudgetUsd the largest spending cap a task may ask for; null for no limit
 */
public record TaskPolicy(List<String> allowedModels, List<Pattern> blockedPatterns, List<String> allowedRepoHosts,
                         Integer maxTurns, Integer maxTimeoutSeconds, BigDecimal maxBudgetUsd) {

    /** The rule names a violation reports: stable, documented, used in problem details and worker refusals. */
    public static final String ALLOWED_MODELS = "allowed-models";
    public static final String BLOCKED_PATTERNS = "blocked-patterns";
    public static final String ALLOWED_REPO_HOSTS = "allowed-repo-hosts";
    public static final String MAX_TURNS = "max-turns";
    public static final String MAX_TIMEOUT = "max-timeout-seconds";
    public static final String MAX_BUDGET = "max-budget-usd";

    /** A policy that allows everything. */
    public static final TaskPolicy OPEN = new TaskPolicy(List.of(), List.of(), List.of(), null, null, null);

    /** What a task asks for, as far as the policy goes; null fields were not asked for. */
    public record Request(String prompt, String model, Integer maxTurns, Integer timeoutSeconds, BigDecimal maxBudgetUsd,
                          String repoUrl) {}

    /** One broken rule: its name, the request field that broke it, and why. */
    public record Violation(String rule, String field, String message) {}

    public TaskPolicy {
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
        blockedPatterns = blockedPatterns == null ? List.of() : List.copyOf(blockedPatterns);
        allowedRepoHosts = allowedRepoHosts == null ? List.of()
                : allowedRepoHosts.stream().map(host -> host.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Every rule the request breaks; empty when it may run. */
    public List<Violation> check(Request request) {
        List<Violation> violations = new ArrayList<>();
        if (request.model() != null && !allowedModels.isEmpty() && !allowedModels.contains(request.model())) {
            violations.add(new Violation(ALLOWED_MODELS, "model", "model '" + abbreviate(request.model())
                    + "' is not one of the allowed models (" + String.join(", ", allowedModels) + ")"));
        }
        if (request.prompt() != null) {
            for (Pattern pattern : blockedPatterns) {
                if (pattern.matcher(request.prompt()).find()) {
                    // The pattern is the operator's; naming it tells the submitter what to change without echoing the prompt.
                    violations.add(new Violation(BLOCKED_PATTERNS, "prompt", "the prompt matches the blocked pattern /"
                            + pattern.pattern() + "/"));
                }
            }
        }
        if (request.repoUrl() != null && !allowedRepoHosts.isEmpty()) {
            String host = repoHost(request.repoUrl());
            if (!allowedRepoHosts.contains(host)) {
                violations.add(new Violation(ALLOWED_REPO_HOSTS, "repo.url", (host.isEmpty() ? "a repository on the worker's disk"
                        : "host '" + abbreviate(host) + "'") + " is not one of the allowed repository hosts ("
                        + String.join(", ", allowedRepoHosts) + ")"));
            }
        }
        if (maxTurns != null && request.maxTurns() != null && request.maxTurns() > maxTurns) {
            violations.add(new Violation(MAX_TURNS, "maxTurns", "must be at most " + maxTurns + ", got " + request.maxTurns()));
        }
        if (maxTimeoutSeconds != null && request.timeoutSeconds() != null && request.timeoutSeconds() > maxTimeoutSeconds) {
            violations.add(new Violation(MAX_TIMEOUT, "timeoutSeconds", "must be at most " + maxTimeoutSeconds + " seconds, got "
                    + request.timeoutSeconds()));
        }
        if (maxBudgetUsd != null && request.maxBudgetUsd() != null && request.maxBudgetUsd().compareTo(maxBudgetUsd) > 0) {
            violations.add(new Violation(MAX_BUDGET, "maxBudgetUsd", "must be at most " + maxBudgetUsd.toPlainString()
                    + " USD, got " + request.maxBudgetUsd().toPlainString()));
        }
        return violations;
    }

    /**
     * The host a repository URL names, lower case: {@code https://host/…}, {@code ssh://user@host:port/…},
     * {@code user@host:path}; empty for a repository on the worker's own disk (a file:// URL or a path) or an unparsable one.
     */
    public static String repoHost(String url) {
        String trimmed = url.trim();
        int scheme = trimmed.indexOf("://");
        if (scheme < 0) {
            // scp-like user@host:path, never a local path (which has no ':' before its first '/').
            int colon = trimmed.indexOf(':');
            int slash = trimmed.indexOf('/');
            if (colon > 0 && (slash < 0 || colon < slash)) {
                String userHost = trimmed.substring(0, colon);
                return userHost.substring(userHost.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            }
            return "";
        }
        try {
            String host = URI.create(trimmed).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Compiles the configured blocked patterns; throws IllegalArgumentException naming one that is not a regex. */
    public static List<Pattern> compile(List<String> patterns) {
        List<Pattern> compiled = new ArrayList<>();
        for (String pattern : patterns) {
            try {
                compiled.add(Pattern.compile(pattern));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("blocked pattern /" + pattern + "/ is not a regular expression: " + e.getMessage(), e);
            }
        }
        return compiled;
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }
}
