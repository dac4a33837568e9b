package dev.taskq.worker.session;

import dev.taskq.common.domain.CommandPolicy;
import dev.taskq.common.event.AttemptRef;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.security.TaskPolicy;
import dev.taskq.common.event.WorkerCommand;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.domain.ChildEnvironment;
import dev.taskq.worker.domain.CliOptions;
import dev.taskq.worker.workspace.Workspaces;
import dev.taskq.worker.domain.SessionVerdict;
import dev.taskq.worker.domain.TranscriptPath;
import dev.taskq.worker.messaging.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jboss.logging.Logger;

/**
 * The worker's slots: admits dispatches while a slot is free, runs each on a virtual thread, cancels on command.
 * A dispatch meant for this worker alone (a resume) that finds no free slot is held and started as soon as one
 * frees, ahead of the shared topics: the dependency-service released it because this worker had room.
 */
@ApplicationScoped
public class SessionSupervisor {

    private static final Logger LOG = Logger.getLogger(SessionSupervisor.class);
    private static final int MEMORY_CAPACITY = 10_000;

    /** What became of a dispatch offered to the supervisor. */
    public enum Admission {
        STARTED,
        /** This worker runs or recently ran the same attempt: a redelivery. */
        ALREADY_SEEN,
        /** A cancel for the attempt arrived before its dispatch. */
        CANCELLED_BEFORE_START,
        NO_FREE_SLOT,
        /** Meant for this worker alone and no slot free: held until one frees. */
        HELD,
        SHUTTING_DOWN
    }

    private record Running(ClaudeSession session, Thread thread) {}

    private final int slots;
    private final SessionSettings settings;
    private final EventSink sink;
    private final Map<AttemptRef, Running> running = new ConcurrentHashMap<>();
    // Guarded by this; bounded in practice, as direct dispatches are released only to a worker with a free slot.
    private final Deque<TaskDispatch> held = new ArrayDeque<>();
    private final AttemptMemory finished;
    private final AttemptMemory cancelled;
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("session-timeouts").daemon().factory());
    // One thread reads every running session's periodic checkpoint in turn: a few git commands each, so cheap, and
    // never a thread per session.
    private final ScheduledThreadPoolExecutor checkpointTimer = checkpointTimer();
    private final MeterRegistry meters;
    private boolean accepting = true;

    @Inject
    public SessionSupervisor(WorkerConfig config, CliOptions cli, WorkerIdentity identity, EventPublisher publisher,
            SessionQuestions questions, Workspaces workspaces, MeterRegistry meters) {
        this(config.slots(), settings(config, cli, identity, questions, workspaces), publisher::publish,
                config.attemptMemory(), meters);
    }

    SessionSupervisor(int slots, SessionSettings settings, EventSink sink, Duration attemptMemory, MeterRegistry meters) {
        this.slots = slots;
        this.settings = settings;
        this.sink = sink;
        this.finished = new AttemptMemory(attemptMemory, MEMORY_CAPACITY, settings.clock());
        this.cancelled = new AttemptMemory(attemptMemory, MEMORY_CAPACITY, settings.clock());
        this.meters = meters;
    }

    private static SessionSettings settings(
            WorkerConfig config, CliOptions cli, WorkerIdentity identity, SessionQuestions questions,
            Workspaces workspaces) {
        WorkerConfig.Claude claude = config.claude();
        Map<String, String> environment =
                ChildEnvironment.of(System.getenv(), claude.envAllowlist(), claude.extraEnv(), identity.runsAsRoot(), cli);
        return new SessionSettings(
                cli,
                environment,
                Path.of(config.workRoot()),
                config.killGrace(),
                config.log().batchLines(),
                config.log().flushInterval(),
                config.log().toolResultMaxChars(),
                config.log().lineMaxChars(),
                config.log().maxBytesPerAttempt(),
                identity,
                Clock.systemUTC(),
                // The transcripts are wherever the child's HOME or CLAUDE_CONFIG_DIR puts them, not the worker's.
                new SessionTranscripts(TranscriptPath.configDir(environment, System.getProperty("user.home"))),
                new CheckpointReader("git", environment, config.checkpointTimeout()),
                config.checkpointInterval(),
                questions,
                workspaces,
                commandPolicy(config.commandTasks()),
                config.commandTasks().shell(),
                policy(config.policy()));
    }

    private static CommandPolicy commandPolicy(WorkerConfig.CommandTasks commands) {
        return new CommandPolicy(commands.enabled(), commands.allowedExecutables(),
                Set.copyOf(commands.shellPools().orElse(List.of())), "taskq.worker.command-tasks");
    }

    private static TaskPolicy policy(WorkerConfig.Policy policy) {
        return new TaskPolicy(policy.allowedModels().orElse(List.of()), List.of(), policy.allowedRepoHosts().orElse(List.of()),
                policy.maxTurns().orElse(null), null, policy.maxBudgetUsd().orElse(null));
    }

    public int slots() {
        return slots;
    }

    /** Slots the shared topics may fill: neither running a session nor promised to a held dispatch. */
    public synchronized int freeSlots() {
        return slots - busySlots();
    }

    /** Slots running a session or promised to a held dispatch. */
    public synchronized int busySlots() {
        return Math.min(slots, running.size() + held.size());
    }

    /**
     * What heartbeats report as busy: every slot once the worker stopped accepting work (it is draining), so neither
     * the release nor a dispatch rescue sends it anything more.
     */
    public synchronized int advertisedBusySlots() {
        return accepting ? busySlots() : slots;
    }

    public List<AttemptRef> runningAttempts() {
        return List.copyOf(running.keySet());
    }

    /** Starts the dispatch's session in a free slot, unless it must not run here. Never blocks on a session. */
    public synchronized Admission admit(TaskDispatch dispatch) {
        Admission refused = refusal(dispatch);
        if (refused != null) {
            return refused;
        }
        if (running.size() + held.size() >= slots) {
            return Admission.NO_FREE_SLOT;
        }
        start(dispatch);
        return Admission.STARTED;
    }

    /**
     * Starts a dispatch meant for this worker alone now, or holds it until a slot frees: no other worker may run it,
     * so it must not be dropped. Held dispatches still yield to a cancel and to shutdown.
     */
    public synchronized Admission admitOrHold(TaskDispatch dispatch) {
        Admission refused = refusal(dispatch);
        if (refused != null) {
            return refused;
        }
        if (running.size() < slots) {
            start(dispatch);
            return Admission.STARTED;
        }
        held.addLast(dispatch);
        return Admission.HELD;
    }

    /** Why the dispatch must not run here at all, or null if it may. */
    private Admission refusal(TaskDispatch dispatch) {
        AttemptRef attempt = new AttemptRef(dispatch.taskId(), dispatch.attempt());
        if (!accepting) {
            return Admission.SHUTTING_DOWN;
        }
        if (running.containsKey(attempt) || finished.contains(attempt) || isHeld(attempt)) {
            return Admission.ALREADY_SEEN;
        }
        if (cancelled.contains(attempt)) {
            return Admission.CANCELLED_BEFORE_START;
        }
        return null;
    }

    private boolean isHeld(AttemptRef attempt) {
        return held.stream().anyMatch(dispatch -> refOf(dispatch).equals(attempt));
    }

    private void start(TaskDispatch dispatch) {
        ClaudeSession session = new ClaudeSession(dispatch, settings, sink, timers, checkpointTimer);
        Thread thread = Thread.ofVirtual().name("session-" + dispatch.taskId() + "-" + dispatch.attempt()).unstarted(() -> run(session));
        running.put(refOf(dispatch), new Running(session, thread));
        thread.start();
    }

    /** Starts held dispatches while slots are free; called with the lock held whenever a slot frees. */
    private void startHeld() {
        while (accepting && running.size() < slots && !held.isEmpty()) {
            TaskDispatch next = held.pollFirst();
            if (cancelled.contains(refOf(next))) {
                continue;
            }
            LOG.infof("Started held task %s attempt %d", next.taskId(), next.attempt());
            start(next);
        }
    }

    /** The attempts held for a free slot, oldest first. */
    public synchronized List<AttemptRef> heldAttempts() {
        return held.stream().map(SessionSupervisor::refOf).toList();
    }

    private static AttemptRef refOf(TaskDispatch dispatch) {
        return new AttemptRef(dispatch.taskId(), dispatch.attempt());
    }

    /** Acts on a cancel: kills the attempt if it runs here, and remembers it in case its dispatch is still coming. */
    public void cancel(WorkerCommand command) {
        AttemptRef attempt = new AttemptRef(command.taskId(), command.attempt());
        cancelled.remember(attempt);
        synchronized (this) {
            if (held.removeIf(dispatch -> refOf(dispatch).equals(attempt))) {
                LOG.infof("Dropped held task %s attempt %d: it was cancelled", command.taskId(), command.attempt());
            }
        }
        Running target = running.get(attempt);
        if (target != null) {
            LOG.infof("Cancelling task %s attempt %d", command.taskId(), command.attempt());
            target.session().cancel(command.reason());
        }
    }

    /** Whether a cancel for the attempt arrived within the attempt memory. */
    public boolean wasCancelled(AttemptRef attempt) {
        return cancelled.contains(attempt);
    }

    /**
     * Stops admitting dispatches; running sessions go on. Held ones are dropped: their attempts are left to the
     * dependency-service, which re-dispatches them once their lease runs out.
     */
    public synchronized void stopAccepting() {
        accepting = false;
        if (!held.isEmpty()) {
            LOG.warnf("Dropping %d held dispatch(es) at shutdown: %s", held.size(), heldAttempts());
            held.clear();
        }
    }

    /** Waits until a slot is free, at most {@code timeout}; returns whether one is. Woken the moment a session ends. */
    public synchronized boolean awaitFreeSlot(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (freeSlots() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until no session runs, at most {@code timeout}; returns whether none does. */
    public synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Hands every running session back (shutdown past its grace): each is stopped like on cancel, checkpointed and
     * reported FAILED with cause DRAINED and {@code reason}, its outcome acknowledged by Kafka, so the
     * dependency-service runs it elsewhere at once instead of when its lease runs out. Waits until their threads end,
     * each at most the kill grace plus the checkpoint and acknowledgement bounds.
     *
     * @return how many sessions were asked to hand back (one that wrote its result first reports that instead)
     */
    public int handBackAll(String reason) throws InterruptedException {
        List<Running> left = List.copyOf(running.values());
        if (left.isEmpty()) {
            return 0;
        }
        LOG.warnf("Handing back %d session(s) still running at shutdown: %s", left.size(), runningAttempts());
        left.forEach(each -> each.session().handBack(reason));
        long deadline = System.nanoTime() + handBackBound().toNanos();
        for (Running each : left) {
            each.thread().join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (each.thread().isAlive()) {
                LOG.errorf("Task %s attempt %d was not handed back in time; its lease will expire instead",
                        each.session().attempt().taskId(), each.session().attempt().attempt());
            }
        }
        return left.size();
    }

    /** The longest a hand-back takes: kill (grace, then SIGKILL), the output drained, the checkpoint, the ack. */
    public Duration handBackBound() {
        return settings.killGrace().plusSeconds(15).plus(ClaudeSession.HAND_BACK_ACK_TIMEOUT).plus(checkpointTimeout());
    }

    private static ScheduledThreadPoolExecutor checkpointTimer() {
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("session-checkpoints").daemon().factory());
        // An ended session's schedule goes at once rather than holding the session until its next due time.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private Duration checkpointTimeout() {
        return settings.checkpoints().timeout();
    }

    /** Kills every running session without reporting it and waits until their threads end. */
    public void abandonAll() throws InterruptedException {
        List<Running> left = List.copyOf(running.values());
        if (!left.isEmpty()) {
            LOG.warnf("Killing %d session(s) still running at shutdown; their attempts are left for re-dispatch", left.size());
        }
        left.forEach(each -> each.session().abandon());
        Duration bound = settings.killGrace().plusSeconds(15);
        for (Running each : left) {
            each.thread().join(bound);
        }
    }

    private void run(ClaudeSession session) {
        AttemptRef attempt = session.attempt();
        try {
            Optional<SessionVerdict> verdict = session.run();
            verdict.ifPresent(v -> {
                LOG.infof("Task %s attempt %d %s%s", attempt.taskId(), attempt.attempt(), v.outcome(),
                        v.reason() == null ? "" : ": " + v.reason());
                Counter.builder("taskq.worker.sessions.finished")
                        .description("Sessions this worker reported finished, by outcome")
                        .tag("outcome", v.outcome().name().toLowerCase(Locale.ROOT))
                        .register(meters)
                        .increment();
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "The session of task %s attempt %d failed inside the worker", attempt.taskId(), attempt.attempt());
        } finally {
            synchronized (this) {
                finished.remember(attempt);
                running.remove(attempt);
                startHeld();
                notifyAll();
            }
        }
    }

    @PreDestroy
    void close() {
        timers.shutdownNow();
        checkpointTimer.shutdownNow();
    }
}
