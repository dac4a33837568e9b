package dev.taskq.worker.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How a worker runs sessions: its capacity, timings and the Claude CLI it starts. */
@ConfigMapping(prefix = "taskq.worker")
public interface WorkerConfig {

    /** This worker's id in heartbeats, events and its command group; {@code <hostname>-<pid>} when unset. */
    Optional<String> id();

    /** How many sessions this worker runs at once; it takes no more dispatches than it has free slots. */
    @WithDefault("2")
    int slots();

    /**
     * The pools this worker serves: it consumes their dispatch topics and advertises them in its heartbeats. Names
     * are a-z 0-9 . _ - like a task's pool; {@code default} is the pool of tasks that name none.
     */
    @WithDefault("default")
    List<String> pools();

    /** How often the worker publishes a heartbeat listing the attempts it runs. */
    @WithDefault("3s")
    Duration heartbeatInterval();

    /** How long a killed session's processes get after SIGTERM before they are killed with SIGKILL. */
    @WithDefault("5s")
    Duration killGrace();

    /**
     * On shutdown, how long running sessions may go on to finish. Each one still running then is stopped (SIGTERM,
     * SIGKILL after {@link #killGrace()}), checkpointed and handed back: reported FAILED with cause DRAINED, which the
     * dependency-service retries elsewhere at once.
     */
    @WithDefault("20s")
    Duration shutdownGrace();

    /** Parent directory of the fresh per-attempt working directories of dispatches that name none. */
    @WithDefault("${java.io.tmpdir}/taskq-work")
    String workRoot();

    /**
     * How long the worker remembers cancelled and finished attempts, so a dispatch redelivered after a
     * rebalance, or arriving after its cancel, is not started.
     */
    @WithDefault("6h")
    Duration attemptMemory();

    /** How long one poll of the dispatch topics waits (a full worker waits for a session to end instead). */
    @WithDefault("100ms")
    Duration intakePollTimeout();

    /**
     * How often the intake consumer refreshes its topic metadata, so a pool topic created after the worker started
     * is consumed at most this late (Kafka's default of 5 minutes would leave a new pool's tasks waiting).
     */
    @WithDefault("10s")
    Duration intakeMetadataMaxAge();

    /**
     * How long the consumer group waits for a silent intake consumer before it hands that worker's dispatch partitions
     * to the others. A dead worker's re-dispatched tasks go to those same partitions (they are keyed by task id), so
     * this bounds, with the lease, how soon they run again. Kafka's default is 45 s.
     */
    @WithDefault("10s")
    Duration intakeSessionTimeout();

    /** How long the git commands that read a session's checkpoint may take together. */
    @WithDefault("5s")
    Duration checkpointTimeout();

    /**
     * How often a running session's checkpoint (git state, session id, last output lines, cost so far) is read and
     * published as a {@code SessionCheckpointed} event, so a session lost with its worker can be picked up from close
     * to where it stopped. Zero or negative turns periodic checkpoints off (the final one is always read).
     */
    @WithDefault("60s")
    Duration checkpointInterval();

    /** The AskHuman tool the worker offers its sessions over MCP. */
    AskHuman askHuman();

    /** The topics the worker creates at startup when they are missing: its pools' dispatch topics and the direct topic. */
    Topics topics();

    /** How session output is batched into log events. */
    Log log();

    /** The Claude CLI the worker starts for each attempt. */
    Claude claude();

    /** What this worker lets a dispatch ask for, checked again here after the gateway's submit-time policy. */
    Policy policy();

    /**
     * What this worker lets a dispatch ask for; a dispatch breaking a rule fails (SESSION_ERROR, not retried) without
     * starting the CLI. Unset rules allow anything.
     */
    interface Policy {

        /** Models a dispatch may name. */
        Optional<List<String>> allowedModels();

        /** Hosts a dispatch's repository may be on; a repository on the worker's disk has no host. */
        Optional<List<String>> allowedRepoHosts();

        /** The most turns a dispatch may ask for. */
        Optional<Integer> maxTurns();

        /** The largest spending cap a dispatch may ask for, in USD. */
        Optional<java.math.BigDecimal> maxBudgetUsd();
    }

    /** The resource gate: when the host is short of memory or CPU, the worker takes no more dispatches. */
    Gate gate();

    /** Command tasks (kind command): whether this worker runs them, and which. */
    CommandTasks commandTasks();

    /**
     * The worker's own check of command tasks, made again before anything starts (the gateway checked at submit with
     * its configuration): a command it refuses fails the attempt, not retried, without running anything.
     */
    interface CommandTasks {

        /** Whether this worker runs command tasks at all. Off by default: a worker runs only what it was told it may. */
        @WithDefault("false")
        boolean enabled();

        /**
         * Per pool, the executables a command may start ({@code allowed-executables.<pool>=npm,mvn,git}): bare names,
         * resolved on the worker's PATH, or absolute paths. A pool not listed runs no command.
         */
        Map<String, List<String>> allowedExecutables();

        /** The pools where a command may be a shell string run by {@code /bin/sh -c}; none by default. */
        Optional<List<String>> shellPools();

        /** The shell that runs a shell string, with {@code -c}. */
        @WithDefault("/bin/sh")
        String shell();
    }

    /**
     * Creation of missing topics, best effort: a worker that may not create topics leaves it to the
     * dependency-service or an operator. Keep these equal to the dependency-service's {@code taskq.dependency.topics.*}.
     */
    interface Topics {

        /** Partitions of a created topic; also the most workers that can share one pool's priority class. */
        @WithDefault("4")
        int partitions();

        /** Replication factor of a created topic; unset uses the broker's {@code default.replication.factor}. */
        Optional<Short> replicationFactor();

        /** How long startup waits for the broker to list and create topics before it goes on without them. */
        @WithDefault("10s")
        Duration setupTimeout();
    }

    /** Batching and trimming of session output. */
    interface Log {

        /** A batch of output lines is published at least this often while a session writes. */
        @WithDefault("100ms")
        Duration flushInterval();

        /** A batch is published as soon as it holds this many lines. */
        @WithDefault("100")
        int batchLines();

        /** Tool output longer than this is cut, with a note of how much was left out. */
        @WithDefault("2000")
        int toolResultMaxChars();

        /** Any other line longer than this is cut; keeps each log event well under Kafka's message limit. */
        @WithDefault("16000")
        int lineMaxChars();

        /**
         * The most output (UTF-8 bytes of its log lines) one attempt stores. Past it the worker sends no more of the
         * session's lines, only one WORKER line at the end saying how much it left out; the session runs on and its
         * result is reported as usual. Keeps a runaway session from filling the log table. Default 10 MiB.
         */
        @WithDefault("10485760")
        long maxBytesPerAttempt();
    }

    /**
     * The host readings the intake consults besides its free slots. Whatever the readings, a worker running no session
     * takes one, so a fleet of busy machines never starves; direct dispatches (resumes) are not gated.
     */
    interface Gate {

        /** false takes dispatches on free slots alone; readings are still taken and reported in heartbeats. */
        @WithDefault("true")
        boolean enabled();

        /** No further session starts while less memory than this is available (the container's limit counted). */
        @WithDefault("512M")
        MemorySize minFreeMemory();

        /** No further session starts while the CPUs (or the container's quota) are busier than this fraction; 1 is off. */
        @WithDefault("0.95")
        double maxCpu();

        /**
         * No further session starts while the one-minute load average divided by the cores exceeds this. Unset (the
         * default) turns the rule off: load counts processes waiting on I/O too, so it misjudges busy small machines.
         */
        Optional<Double> maxLoadPerCore();

        /** How often the host is read. */
        @WithDefault("1s")
        Duration sampleInterval();

        /** The CPU busy fraction is measured over about this long, so a short burst does not close the gate. */
        @WithDefault("10s")
        Duration cpuWindow();

        /** Where procfs is mounted; a host's own when the worker runs in a container that mounts it elsewhere. */
        @WithDefault("/proc")
        String procfs();

        /** Where sysfs is mounted; the cgroup files are read under {@code <sysfs>/fs/cgroup}. */
        @WithDefault("/sys")
        String sysfs();
    }

    /**
     * A session may ask a human a question: the worker serves an MCP endpoint on its own HTTP server (loopback callers
     * with the attempt's bearer token only) and passes it to every session with {@code --mcp-config}, as server
     * {@code taskq}, so the model sees the tool {@code mcp__taskq__AskHuman}. A session that asked and then ended
     * normally is reported WAITING_FOR_INPUT with its question.
     */
    interface AskHuman {

        /** false gives sessions no AskHuman tool (no {@code --mcp-config} of the worker's own). */
        @WithDefault("true")
        boolean enabled();
    }

    /** The Claude CLI: its executable, flags and the environment it gets. */
    interface Claude {

        /** The CLI executable, a path or a name looked up on the worker's PATH. */
        @WithDefault("claude")
        String executable();

        /**
         * The {@code --permission-mode} passed to every session. A background worker has nobody to answer
         * permission prompts, so the default {@code bypassPermissions} lets tools run unasked; run workers in
         * a sandbox (container or VM) for that reason. Blank leaves the flag out.
         */
        @WithDefault("bypassPermissions")
        String permissionMode();

        /**
         * The {@code --permission-mode} values a task may ask for; a dispatch naming any other fails without starting
         * the CLI. Defaults to every mode claude 2.1.197 accepts; drop {@code bypassPermissions} (and keep the
         * worker's own mode safer) to keep tasks from running tools unasked.
         */
        @WithDefault("default,acceptEdits,plan,auto,dontAsk,bypassPermissions")
        List<String> allowedPermissionModes();

        /** {@code --max-turns} for dispatches that set none. */
        @WithDefault("50")
        int defaultMaxTurns();

        /** Extra CLI arguments appended to every session's argv, e.g. {@code --mcp-config,/etc/mcp.json}. */
        Optional<List<String>> extraArgs();

        /**
         * Names of the worker's environment variables a session inherits; nothing else reaches it, and
         * {@code CLAUDECODE} and {@code CLAUDE_CODE_*} never do.
         */
        @WithDefault("PATH,HOME,USER,LANG,LC_ALL,TERM,TMPDIR,TZ,"
                + "ANTHROPIC_API_KEY,ANTHROPIC_AUTH_TOKEN,ANTHROPIC_BASE_URL,ANTHROPIC_MODEL")
        List<String> envAllowlist();

        /** Variables set in every session's environment as given, after the allowlist (they win). */
        Map<String, String> extraEnv();
    }
}
