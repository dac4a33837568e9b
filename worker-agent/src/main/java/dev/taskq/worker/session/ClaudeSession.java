package dev.taskq.worker.session;

import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.SessionResult;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.worker.domain.ChildEnvironment;
import dev.taskq.worker.domain.CommandArgv;
import dev.taskq.common.security.TaskPolicy;
import dev.taskq.worker.domain.KillReason;
import dev.taskq.worker.workspace.Workspace;
import dev.taskq.worker.workspace.WorkspaceException;
import dev.taskq.worker.domain.SessionArgv;
import dev.taskq.worker.domain.SessionMcpConfig;
import dev.taskq.worker.domain.SessionVerdict;
import dev.taskq.worker.domain.Termination;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One attempt's process, from its spawn to its one {@code SessionFinished} event: its output as log events, a
 * checkpoint every checkpoint interval while it runs, its AskHuman channel, and its end however it comes (result,
 * cancel, timeout, hand-back on shutdown). The process is the Claude CLI, or for a command task the task's own command,
 * which shares the whole lifecycle but reads no stream-json, asks nothing and ends by its exit code.
 */
final class ClaudeSession {

    private static final Logger LOG = Logger.getLogger(ClaudeSession.class);
    // After the CLI exits, how long its output may take to drain; a background process holding the pipe open
    // must not keep the attempt from finishing.
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
    // A hand-back happens while the worker exits: its outcome must be acknowledged within the shutdown budget.
    static final Duration HAND_BACK_ACK_TIMEOUT = Duration.ofSeconds(10);

    private final TaskDispatch dispatch;
    private final SessionSettings settings;
    private final ScheduledExecutorService timers;
    private final ScheduledExecutorService checkpointTimer;
    private final AttemptEvents events;
    private final LogBatcher log;
    private final StreamJsonTranslator translator;

    private final Object lock = new Object();
    private Process process;
    private boolean killRequested;
    private KillReason killedFor;
    private String cancelReason;
    private boolean abandoned;
    private Thread killer;

    private volatile SessionResult result;
    private volatile String lastStderrLine;
    private volatile String streamSessionId;

    ClaudeSession(TaskDispatch dispatch, SessionSettings settings, EventSink sink, ScheduledExecutorService timers) {
        this(dispatch, settings, sink, timers, timers);
    }

    /**
     * @param timers runs the session's timeout
     * @param checkpointTimer reads its periodic checkpoints (git commands, up to the checkpoint timeout: kept off
     *     the timers so a slow read never delays a timeout)
     */
    ClaudeSession(TaskDispatch dispatch, SessionSettings settings, EventSink sink, ScheduledExecutorService timers,
            ScheduledExecutorService checkpointTimer) {
        this.dispatch = dispatch;
        this.settings = settings;
        this.timers = timers;
        this.checkpointTimer = checkpointTimer;
        this.events = new AttemptEvents(sink, dispatch, settings.identity().workerId(), settings.clock());
        this.log = new LogBatcher(events, settings.logBatchLines(), settings.logFlushInterval(), settings.clock(),
                settings.logMaxBytesPerAttempt());
        this.translator = new StreamJsonTranslator(settings.toolResultMaxChars(), settings.lineMaxChars());
    }

    AttemptRef attempt() {
        return new AttemptRef(dispatch.taskId(), dispatch.attempt());
    }

    /**
     * Runs the attempt to its end on the calling thread and reports it, unless it was abandoned.
     *
     * @return the verdict reported, empty if the session was abandoned
     */
    Optional<SessionVerdict> run() {
        synchronized (lock) {
            if (abandoned) {
                return Optional.empty();
            }
            if (killRequested) {
                return Optional.of(finishWithoutProcess(SessionVerdict.of(termination(null))));
            }
        }
        // Before anything else: a mode, or a command, this worker refuses fails the same wherever it would run here.
        Optional<String> refused = dispatch.runsCommand()
                ? settings.commandPolicy().refusal(dispatch.pool(), dispatch.command(), dispatch.shell())
                        .map(refusal -> "command refused by this worker: " + refusal.describe())
                : SessionArgv.refusedPermissionMode(settings.cli(), dispatch);
        if (refused.isPresent()) {
            return Optional.of(finishWithoutProcess(SessionVerdict.notStarted(refused.get())));
        }
        List<TaskPolicy.Violation> violations = settings.policy().check(new TaskPolicy.Request(null, dispatch.model(),
                dispatch.maxTurns(), null, dispatch.maxBudgetUsd(), dispatch.repoUrl()));
        if (!violations.isEmpty()) {
            return Optional.of(finishWithoutProcess(SessionVerdict.notStarted("refused by this worker's policy (taskq.worker.policy): "
                    + violations.stream().map(violation -> violation.rule() + ": " + violation.message())
                            .collect(Collectors.joining("; ")))));
        }
        Workspace workspace;
        try {
            workspace = workspace();
        } catch (NotStartable e) {
            return Optional.of(finishWithoutProcess(e.verdict()));
        }
        // Held until the session and its checkpoint are done: the sweep leaves it alone, no other attempt shares it.
        try (workspace) {
            return runIn(workspace.directory());
        }
    }

    private Optional<SessionVerdict> runIn(Path directory) {
        if (dispatch.runsCommand()) {
            List<String> argv;
            try {
                argv = CommandArgv.of(settings.commandPolicy(), settings.commandShell(), dispatch);
            } catch (IllegalArgumentException e) {
                return Optional.of(finishWithoutProcess(SessionVerdict.notStarted(e.getMessage())));
            }
            return Optional.ofNullable(runProcess(argv, directory, null));
        }
        SessionMcpConfig mcp = settings.questions().endpoint().orElse(null);
        List<String> argv;
        try {
            argv = SessionArgv.of(settings.cli(), dispatch, mcp);
        } catch (IllegalArgumentException e) {
            return Optional.of(finishWithoutProcess(SessionVerdict.notStarted(e.getMessage())));
        }
        SessionQuestions.Channel channel = mcp == null ? null : settings.questions().open(attempt());
        try {
            return Optional.ofNullable(runProcess(argv, directory, channel));
        } finally {
            if (channel != null) {
                settings.questions().close(channel);
            }
        }
    }

    /** Runs the started CLI to its end; the verdict reported, or null when abandoned. */
    private SessionVerdict runProcess(List<String> argv, Path directory, SessionQuestions.Channel channel) {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(dispatch.runsCommand()
                ? ChildEnvironment.forCommand(settings.environment()) : settings.environment());
        if (channel != null) {
            builder.environment().put(SessionMcpConfig.TOKEN_ENV, channel.token());
        }
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            return finishWithoutProcess(SessionVerdict.notStarted("cannot start " + argv.getFirst() + ": " + e.getMessage()));
        }
        // The CLI reads a piped stdin as more prompt; an open, empty pipe would keep it waiting.
        closeQuietly(started);
        events.started(started.pid(), settings.identity().host());
        log.start();
        log.add(LogKind.WORKER, "worker %s started %s (pid %d) in %s%s".formatted(
                settings.identity().workerId(), dispatch.runsCommand() ? "command: " + CommandArgv.display(dispatch)
                        : settings.cli().executable(), started.pid(), directory,
                dispatch.resumeSessionId() == null ? "" : ", resuming session " + dispatch.resumeSessionId()));
        synchronized (lock) {
            process = started;
            if (killRequested) {
                startKill(killNote());
            }
        }
        ScheduledFuture<?> timeout = dispatch.timeoutSeconds() > 0
                ? timers.schedule(() -> requestKill(KillReason.TIMED_OUT, null), dispatch.timeoutSeconds(), TimeUnit.SECONDS)
                : null;
        Duration interval = settings.checkpointInterval();
        ScheduledFuture<?> checkpoints = interval.isPositive()
                ? checkpointTimer.scheduleWithFixedDelay(() -> checkpoint(directory), interval.toMillis(), interval.toMillis(),
                        TimeUnit.MILLISECONDS)
                : null;
        Thread stdout = Thread.ofVirtual().name("session-stdout").start(() -> readLines(started.getInputStream(), this::onStdout));
        Thread stderr = Thread.ofVirtual().name("session-stderr").start(() -> readLines(started.getErrorStream(), this::onStderr));
        Integer exitCode = awaitExit(started);
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (checkpoints != null) {
            checkpoints.cancel(false);
        }
        join(stdout, OUTPUT_DRAIN);
        join(stderr, OUTPUT_DRAIN);
        log.endOutput();
        Termination termination;
        Thread killing;
        boolean abandon;
        synchronized (lock) {
            killing = killer;
            abandon = abandoned;
            termination = termination(exitCode);
        }
        if (killing != null) {
            // The outcome is reported only once the whole tree is gone.
            join(killing, settings.killGrace().plusSeconds(10));
        }
        if (abandon) {
            log.add(LogKind.WORKER, "worker shutting down: session killed, the attempt is left for re-dispatch");
            log.close();
            return null;
        }
        SessionVerdict verdict = dispatch.runsCommand()
                ? SessionVerdict.ofCommand(termination)
                : dispatch.resumeSessionId() == null
                ? SessionVerdict.of(termination)
                : SessionVerdict.ofResume(termination, dispatch.resumeSessionId(), settings.identity().workerId());
        String question = channel == null ? null : channel.question();
        if (question != null) {
            verdict = verdict.awaitingAnswer();
            if (verdict.outcome() == SessionOutcome.WAITING_FOR_INPUT) {
                log.add(LogKind.WORKER, "asked a human: " + StreamJsonTranslator.cut(question, settings.lineMaxChars()));
            } else {
                question = null;
            }
        }
        Checkpoint git = settings.checkpoints().read(directory);
        log.add(LogKind.WORKER, verdict.reason() == null ? verdict.outcome().name() : verdict.outcome() + ": " + verdict.reason());
        log.close();
        Checkpoint checkpoint = withSession(git, directory, log.flushAndTail());
        SessionResult reported = dispatch.runsCommand() ? commandResult(verdict, exitCode) : result;
        events.finished(verdict, exitCode, reported, checkpoint, question,
                verdict.failureCause() == FailureCause.DRAINED ? HAND_BACK_ACK_TIMEOUT : AttemptEvents.FINISH_ACK_TIMEOUT);
        return verdict;
    }

    /**
     * What a command task's result says: its exit code, as the task's result text, so views, notifications and a task
     * continuing from it read it where they read a session's result. None when the command was killed before it exited.
     */
    private static SessionResult commandResult(SessionVerdict verdict, Integer exitCode) {
        if (exitCode == null || verdict.outcome() == SessionOutcome.CANCELLED || verdict.outcome() == SessionOutcome.TIMED_OUT
                || verdict.failureCause() != null) {
            return null;
        }
        boolean succeeded = verdict.outcome() == SessionOutcome.SUCCEEDED;
        return new SessionResult(succeeded ? "success" : "error_exit_code", !succeeded, null, null, null, null, null,
                "exited with code " + exitCode, null, null);
    }

    /**
     * Reads and publishes where the running session stands; on the checkpoint timer. The lines it names are stored
     * before it (the log is flushed first), and once the attempt's last event is out it sends nothing.
     */
    private void checkpoint(Path directory) {
        try {
            Checkpoint git = settings.checkpoints().read(directory);
            events.checkpointed(withSession(git, directory, log.flushAndTail()));
        } catch (RuntimeException e) {
            // A checkpoint is a convenience: the session and its later checkpoints go on without this one.
            LOG.warnf(e, "Could not checkpoint task %s attempt %d", dispatch.taskId(), dispatch.attempt());
        }
    }

    /** The git state (or just the directory, outside a checkout) with what the session itself has reported so far. */
    private Checkpoint withSession(Checkpoint git, Path directory, List<String> lastLines) {
        Checkpoint base = git != null ? git : Checkpoint.ofGit(directory.toString(), null, null, List.of(), false);
        SessionResult reported = result;
        BigDecimal cost = reported == null ? null : reported.totalCostUsd();
        return base.withSession(streamSessionId, lastLines, cost, settings.clock().instant());
    }

    /** Kills the process tree on cancel; the attempt reports CANCELLED unless it already wrote its result. */
    void cancel(String reason) {
        requestKill(KillReason.CANCELLED, reason);
    }

    /**
     * Stops the session on shutdown and hands the attempt back: the tree is killed like on cancel, and the attempt
     * reports FAILED with cause DRAINED, its checkpoint and {@code reason}, unless it wrote its result first.
     */
    void handBack(String reason) {
        requestKill(KillReason.DRAINED, reason);
    }

    /** Kills the process tree without reporting the attempt finished (the worker's thread was interrupted). */
    void abandon() {
        synchronized (lock) {
            abandoned = true;
            killRequested = true;
            if (process != null && killer == null && process.isAlive()) {
                startKill("killing the process tree: worker shutting down");
            }
        }
    }

    private void requestKill(KillReason reason, String why) {
        synchronized (lock) {
            if (killRequested || (process != null && !process.isAlive())) {
                return;
            }
            killRequested = true;
            // A result written before the kill still decides the outcome.
            if (result == null) {
                killedFor = reason;
                cancelReason = why;
            }
            if (process != null) {
                startKill(killNote(reason));
            }
        }
    }

    /** The log line saying why the tree is killed; called with the lock held. */
    private String killNote() {
        return abandoned ? "killing the process tree: worker shutting down" : killNote(killedFor);
    }

    private String killNote(KillReason reason) {
        if (reason == null) {
            return "killing the process tree";
        }
        return switch (reason) {
            case TIMED_OUT -> "timed out after " + dispatch.timeoutSeconds() + "s: killing the process tree";
            case CANCELLED -> "cancelled: killing the process tree";
            case DRAINED -> "worker shutting down: stopping the session to hand the attempt back";
        };
    }

    private void startKill(String note) {
        log.add(LogKind.WORKER, note);
        Process root = process;
        killer = Thread.ofVirtual().name("session-kill").start(() -> ProcessTree.kill(root, settings.killGrace()));
    }

    private Termination termination(Integer exitCode) {
        return new Termination(killedFor, cancelReason, dispatch.timeoutSeconds(), exitCode, result, lastStderrLine);
    }

    private SessionVerdict finishWithoutProcess(SessionVerdict verdict) {
        log.add(LogKind.WORKER, verdict.outcome() + ": " + verdict.reason());
        log.close();
        events.finished(verdict, null, null, null, null,
                verdict.failureCause() == FailureCause.DRAINED ? HAND_BACK_ACK_TIMEOUT : AttemptEvents.FINISH_ACK_TIMEOUT);
        return verdict;
    }

    /**
     * The workspace the session runs in: the directory the dispatch names, a checkout of its repository, else a fresh
     * one per attempt ({@link dev.taskq.worker.workspace.Workspaces}). A resume runs where the resumed session ran, the
     * only place the CLI finds its transcript, and fails retryably (without starting the CLI) when this worker holds no
     * such transcript.
     */
    private Workspace workspace() throws NotStartable {
        UUID resumed = dispatch.resumeSessionId();
        Workspace workspace;
        try {
            if (resumed != null && isBlank(dispatch.workingDir()) && isBlank(dispatch.repoUrl())) {
                Path ranIn = settings.transcripts().workingDirHolding(settings.workRoot(), resumed)
                        .orElseThrow(() -> new NotStartable(sessionUnavailable(resumed)));
                return settings.workspaces().adopt(ranIn);
            }
            workspace = settings.workspaces().prepare(dispatch);
        } catch (WorkspaceException e) {
            throw new NotStartable(resumed != null && e.reason() == WorkspaceException.Reason.NOT_ON_THIS_WORKER
                    ? sessionUnavailable(resumed)
                    : SessionVerdict.notStarted(e.getMessage()));
        }
        if (resumed != null && !settings.transcripts().holds(workspace.directory(), resumed)) {
            workspace.close();
            throw new NotStartable(sessionUnavailable(resumed));
        }
        return workspace;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private SessionVerdict sessionUnavailable(UUID resumed) {
        LOG.infof("Task %s attempt %d resumes session %s, which has no transcript under %s",
                dispatch.taskId(), dispatch.attempt(), resumed, settings.transcripts().configDir());
        return SessionVerdict.sessionUnavailable(resumed, settings.identity().workerId());
    }

    private void onStdout(String line) {
        if (dispatch.runsCommand()) {
            log.add(LogKind.STDOUT, StreamJsonTranslator.cut(line, settings.lineMaxChars()));
            return;
        }
        StreamJsonTranslator.Translation translation;
        try {
            translation = translator.translate(line);
        } catch (RuntimeException e) {
            LOG.debugf(e, "Could not render a line of task %s", dispatch.taskId());
            translation = StreamJsonTranslator.Translation.of(LogKind.RAW, StreamJsonTranslator.cut(line, settings.lineMaxChars()));
        }
        if (translation.result() != null) {
            result = translation.result();
        }
        if (translation.sessionId() != null) {
            streamSessionId = translation.sessionId();
        }
        translation.lines().forEach(rendered -> log.add(rendered.kind(), rendered.text()));
    }

    private void onStderr(String line) {
        if (!line.isBlank()) {
            lastStderrLine = StreamJsonTranslator.cut(line.strip(), 500);
        }
        log.add(LogKind.STDERR, StreamJsonTranslator.cut(line, settings.lineMaxChars()));
    }

    private static void readLines(InputStream stream, Consumer<String> onLine) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                onLine.accept(line);
            }
        } catch (IOException e) {
            // the pipe closed under us: the process is gone
        }
    }

    private Integer awaitExit(Process started) {
        try {
            return started.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            return null;
        }
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Process started) {
        try {
            started.getOutputStream().close();
        } catch (IOException e) {
            // nothing to close
        }
    }

    /** The attempt cannot start on this host; the verdict says why. */
    private static final class NotStartable extends Exception {
        private final transient SessionVerdict verdict;

        NotStartable(SessionVerdict verdict) {
            super(verdict.reason(), null, false, false);
            this.verdict = verdict;
        }

        SessionVerdict verdict() {
            return verdict;
        }
    }
}
