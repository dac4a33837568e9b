package dev.taskq.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway's own settings, under {@code taskq.api}. */
@ConfigMapping(prefix = "taskq.api")
public interface GatewayConfig {

    /**
     * Bootstrap tokens (env {@code TASKQ_API_TOKENS}, comma-separated): each authenticates as an admin without a key row,
     * to create the first API keys. Required: the gateway refuses to start without one. Optional here only so that the
     * startup check can say so clearly.
     */
    Optional<List<String>> tokens();

    /** API keys: how their secrets are hashed and how long a looked-up key is trusted. */
    Keys keys();

    /** Per-key rate limits and quotas; a key's own values override these. */
    Limits limits();

    /** API keys: how their secrets are hashed and how long a looked-up key is trusted. */
    interface Keys {

        /**
         * A server secret mixed into every key's hash (HMAC-SHA256), so a copy of the api_keys table alone cannot be used
         * to test guesses (env {@code TASKQ_API_KEY_PEPPER}). Changing it invalidates every key. Without one, keys are
         * hashed under an empty key, which their 238 random bits still make unguessable.
         */
        Optional<String> pepper();

        /**
         * How long a looked-up key (or an unknown secret) is cached per gateway replica. A revocation through this replica
         * applies at once; through another one, within this time.
         */
        @WithDefault("10s")
        Duration cacheTtl();
    }

    /** Per-key rate limits and quotas; a key's own values override these. Bootstrap tokens are not limited. */
    interface Limits {

        /** Requests per second a key may make on average (token bucket per gateway replica). */
        @WithDefault("20")
        double requestsPerSecond();

        /** How many requests a key may make at once after being idle (the bucket's size). */
        @WithDefault("40")
        int burst();

        /**
         * How many of a key's tasks may be unfinished (waiting, queued or running) at once; a submission beyond it is a 429.
         * 0 means no limit.
         */
        @WithDefault("0")
        int maxRunningTasks();

        /** The USD a key's tasks submitted today (UTC) may cost together before its submissions are refused; unset, no budget. */
        Optional<BigDecimal> dailyBudgetUsd();
    }

    /** Limits and defaults applied to submitted tasks. */
    Submission submission();

    /** Paging and streaming of task logs. */
    Logs logs();

    /** Checks on notification destinations. */
    Notifications notifications();

    /** Defaults and limits of schedules. */
    Schedules schedules();

    /** Limits of workflows (DAGs submitted in one request). */
    Workflows workflows();

    /** How long Idempotency-Key values are remembered. */
    Idempotency idempotency();

    /** What the gateway assumes about workers when it explains why a task waits. */
    Workers workers();

    /** Where a task's session may work: the directories and repositories a submission may name. */
    Workspaces workspaces();

    /** The main-session kit: the session hooks' summaries and the MCP connections bound to Claude Code sessions. */
    Hooks hooks();

    /** The main-session kit: the session hooks' summaries and the MCP connections bound to Claude Code sessions. */
    interface Hooks {

        /** How far back the SessionStart summary looks for delegated tasks that ended or began waiting. */
        @WithDefault("24h")
        Duration recentWindow();

        /** The most tasks each part of a summary lists; more are mentioned, not listed. */
        @WithDefault("8")
        int maxTasks();

        /** A summary is cut to this many characters: it goes into the session's context, which is not free. */
        @WithDefault("3000")
        int maxChars();

        /**
         * MCP connections remembered with the Claude Code session the kit's check-in bound them to; beyond this the
         * least recently used is forgotten (its next check-in binds it again).
         */
        @WithDefault("10000")
        int maxBoundConnections();
    }

    /** Which command tasks (kind command) a submission may ask for, and who may submit them. */
    CommandTasks commandTasks();

    /**
     * Which command tasks a submission may ask for, checked at submit (422 naming the field and this setting, nothing
     * written); every worker checks again with its own {@code taskq.worker.command-tasks.*}.
     */
    interface CommandTasks {

        /** Whether command tasks may be submitted at all. Off by default: a plain process is not what most pools are for. */
        @WithDefault("false")
        boolean enabled();

        /**
         * Per pool, the executables a command's first element may name ({@code allowed-executables.<pool>=npm,mvn,git}):
         * bare names, which the worker resolves on its PATH, or absolute paths. A pool not listed runs no command.
         */
        Map<String, List<String>> allowedExecutables();

        /**
         * The pools where a command may be a shell string ({@code shell: true}, run by {@code /bin/sh -c}). The allowlist
         * cannot read a shell string, so any command line runs there. None by default.
         */
        Optional<List<String>> shellPools();

        /**
         * The caller roles that may submit command tasks (directly, in a workflow or a schedule): an API key's role and
         * the roles it includes (an admin key is also a submitter); bootstrap tokens are admins.
         */
        @WithDefault("admin,submitter")
        List<String> submitterRoles();
    }

    /**
     * Agent roles defined in configuration ({@code taskq.api.agent-roles.<name>.description=...}), beside the six that
     * ship. Each is created when the gateway starts if no role of that name exists yet, so what admins later change
     * through /api/v1/agent-roles is kept; a configured role never overwrites a stored one.
     */
    Map<String, ConfiguredAgentRole> agentRoles();

    /** One configured agent role: the settings of {@code common}'s AgentRole, each but the description optional. */
    interface ConfiguredAgentRole {

        /** What the role is for, shown in GET /api/v1/agent-roles. */
        String description();

        /** Added to the session's system prompt ({@code --append-system-prompt}). */
        Optional<String> appendSystemPrompt();

        /** {@code --allowedTools} patterns. */
        Optional<List<String>> allowedTools();

        /** {@code --disallowedTools} patterns. */
        Optional<List<String>> disallowedTools();

        /** {@code --model}. */
        Optional<String> model();

        /** {@code --max-turns}. */
        Optional<Integer> maxTurns();

        /** {@code --max-budget-usd}. */
        Optional<BigDecimal> maxBudgetUsd();
    }

    /** Where a task's session may work: the directories and repositories a submission may name. */
    interface Workspaces {

        /**
         * Directories a task's workingDir must be, or lie below, on the worker hosts. Compared segment by segment after
         * normalising, so /tmp2 is not under /tmp; the check is lexical, since the gateway cannot see the workers' disks.
         * Each must be absolute.
         */
        List<String> allowedRoots();

        /**
         * Accept a repository on the worker's own disk (a file:// URL or an absolute path) as a task's repo.url. Off in
         * production, where a task should not read whatever a worker's disk holds; local stacks and tests turn it on.
         */
        @WithDefault("false")
        boolean allowLocalRepos();
    }

    /** Limits of workflows (DAGs submitted in one request). */
    interface Workflows {

        /** The most tasks one workflow may have. */
        @WithDefault("10000")
        int maxTasks();

        /** The most dependency entries all tasks of one workflow may list together. */
        @WithDefault("100000")
        int maxDependencies();
    }

    /** How long Idempotency-Key values are remembered. */
    interface Idempotency {

        /** After this long a key may be used again for another request. */
        @WithDefault("24h")
        Duration retention();

        /** How often keys older than the retention are deleted (a key that is used again is deleted at once). */
        @WithDefault("10m")
        Duration cleanupInterval();
    }

    /** What the gateway assumes about workers when it explains why a task waits. */
    interface Workers {

        /** A worker whose last heartbeat is older than this counts as gone. */
        @WithDefault("30s")
        Duration liveness();

        /**
         * GET /api/v1/workers shows a worker as alive, and counts its slots toward its pools, while its last heartbeat
         * is this recent: keep it equal to dependency-service's {@code taskq.dependency.release.worker-liveness}, the
         * window in which the release counts a worker's slots.
         */
        @WithDefault("10s")
        Duration releaseLiveness();
    }

    /** Defaults and limits of schedules. */
    interface Schedules {

        /** How many missed fire times a catchup schedule fires after scheduler downtime, when it names no maxCatchup. */
        @WithDefault("10")
        int defaultMaxCatchup();

        /** The largest maxCatchup a schedule may ask for. */
        @WithDefault("1000")
        int maxCatchupLimit();

        /** The most steps a pipeline may have. */
        @WithDefault("50")
        int maxPipelineSteps();
    }

    /** Checks on notification destinations. */
    interface Notifications {

        /**
         * Accept plain http and any host for Discord and webhook URLs. Off in production (https only, Discord
         * webhooks on discord.com); tests turn it on to point destinations at local receivers.
         */
        @WithDefault("false")
        boolean allowInsecureUrls();

        /**
         * Accept Discord and webhook URLs whose host is a loopback, link-local or private address (or localhost). Off
         * in production, so a destination cannot aim notifications at internal services; the local stack and tests
         * turn it on for receivers on this machine. The notifier checks resolved addresses again at send time.
         */
        @WithDefault("false")
        boolean allowPrivateAddresses();
    }

    /** Limits and defaults applied to submitted tasks. */
    interface Submission {

        /** The longest prompt accepted, in characters. */
        @WithDefault("100000")
        int maxPromptChars();

        /** The timeout of a task that names none, in seconds. */
        @WithDefault("3600")
        int defaultTimeoutSeconds();

        /** The longest timeout a task may ask for, in seconds. */
        @WithDefault("86400")
        int maxTimeoutSeconds();

        /** How many attempts a task gets before it fails for good, when its retry settings name no maxAttempts. */
        @WithDefault("3")
        int maxAttempts();

        /** The worker pool of a task that names none. */
        @WithDefault("default")
        String defaultPool();
    }

    /** Paging and streaming of task logs. */
    interface Logs {

        /** How often an open log stream looks for new lines and status changes. */
        @WithDefault("250ms")
        Duration streamPollInterval();

        /** The most lines one poll of a log stream reads; a full batch is followed by another poll at once. */
        @WithDefault("500")
        int streamBatchSize();

        /** After this long without an event, a log stream sends a comment so proxies keep the connection open. */
        @WithDefault("15s")
        Duration streamKeepAlive();
    }
}
