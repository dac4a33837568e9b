package dev.taskq.worker.workspace;

import dev.taskq.common.event.TaskDispatch;
import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.domain.ChildEnvironment;
import dev.taskq.worker.domain.CliOptions;
import dev.taskq.worker.workspace.WorkspaceException.Reason;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Gives each attempt the directory its session runs in: the task's own {@code workingDir} once it passes the allowed
 * roots, a git worktree of the task's repository at {@code <work-root>/tasks/<workspace id>}, or else a fresh
 * {@code <work-root>/<task id>-<attempt>}. Removes the worker's own directories after their retention
 * ({@link WorkspaceSweeper} has the rule).
 */
@ApplicationScoped
public class Workspaces {

    private static final Logger LOG = Logger.getLogger(Workspaces.class);
    // The first sweep after a start comes soon, so a worker restarted often still cleans up.
    private static final Duration FIRST_SWEEP_AT_MOST = Duration.ofMinutes(1);

    private final WorkspaceSettings settings;
    private final InUse inUse = new InUse();
    private final AllowedRoots roots;
    private final RepositoryMirrors mirrors;
    private final WorkspaceSweeper sweeper;
    private final ScheduledExecutorService sweeps =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("workspace-sweep").daemon().factory());

    @Inject
    public Workspaces(WorkspaceConfig config, WorkerConfig worker, WorkerIdentity identity, CliOptions cli) {
        // git runs with the sessions' environment: the repository is theirs, the worker's own secrets are not.
        this(WorkspaceSettings.of(config, Path.of(worker.workRoot()),
                ChildEnvironment.of(System.getenv(), worker.claude().envAllowlist(), worker.claude().extraEnv(),
                        identity.runsAsRoot(), cli),
                identity.host()));
    }

    public Workspaces(WorkspaceSettings settings) {
        this.settings = settings;
        this.roots = new AllowedRoots(settings.allowedRoots(), List.of(settings.tasksDir(), settings.reposDir()),
                settings.host());
        GitRunner git = new GitRunner(settings.git(), settings.gitEnvironment(), settings.gitTimeout());
        MirrorLocks locks = new MirrorLocks(settings.reposDir());
        this.mirrors = new RepositoryMirrors(settings.reposDir(), settings.tasksDir(), git, locks, inUse,
                settings.fetchInterval(), settings.clock());
        this.sweeper = new WorkspaceSweeper(settings, mirrors, locks, inUse);
    }

    void onStart(@Observes StartupEvent event) {
        startSweeping();
    }

    /** Sweeps every {@code sweep-interval} from now on, the first time within a minute; nothing when it is zero. */
    void startSweeping() {
        Duration interval = settings.sweepInterval();
        if (interval.isZero() || interval.isNegative()) {
            LOG.info("Workspace sweep is off (taskq.worker.workspace.sweep-interval=0): nothing is removed");
            return;
        }
        long first = Math.min(interval.toMillis(), FIRST_SWEEP_AT_MOST.toMillis());
        sweeps.scheduleWithFixedDelay(this::sweepQuietly, first, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The directory {@code dispatch} runs in, held for the attempt until the returned workspace is closed. Makes no
     * process start: on failure the attempt fails with the exception's message.
     */
    public Workspace prepare(TaskDispatch dispatch) throws WorkspaceException {
        boolean namesDirectory = isSet(dispatch.workingDir());
        boolean namesRepository = isSet(dispatch.repoUrl());
        if (namesDirectory && namesRepository) {
            throw new WorkspaceException(Reason.REJECTED, "a task names a working directory or a repository, not both");
        }
        if (namesDirectory) {
            return named(dispatch.workingDir());
        }
        if (namesRepository) {
            return checkout(dispatch);
        }
        return scratch(settings.workRoot().resolve(dispatch.taskId() + "-" + dispatch.attempt()));
    }

    /**
     * Holds {@code directory}, a fresh attempt directory under the work root that the worker found by itself (where
     * a resumed session ran), as {@link #prepare} holds the ones it makes.
     */
    public Workspace adopt(Path directory) throws WorkspaceException {
        Path dir = directory.toAbsolutePath().normalize();
        if (!dir.startsWith(settings.workRoot())) {
            throw new WorkspaceException(Reason.REJECTED, dir + " is not under the work root " + settings.workRoot());
        }
        take(dir);
        if (!Files.isDirectory(dir)) {
            inUse.release(dir);
            throw new WorkspaceException(Reason.NOT_ON_THIS_WORKER, dir + " is no longer on this worker");
        }
        Directories.touch(dir, settings.clock().instant());
        return new Workspace(dir, Workspace.Kind.SCRATCH, false, () -> endUse(dir));
    }

    /** Runs one sweep now (the periodic one calls this too). */
    WorkspaceSweeper.Swept sweep() {
        return sweeper.sweep();
    }

    private Workspace named(String workingDir) throws WorkspaceException {
        AllowedRoots.Checked checked = roots.check(workingDir);
        Path dir = checked.directory();
        try {
            inUse.takeShared(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException(Reason.IO, "interrupted while taking " + dir);
        }
        if (checked.created()) {
            LOG.infof("Created working directory %s", dir);
        }
        // The task's own directory: its times are its owner's, so only the hold is released.
        return new Workspace(dir, Workspace.Kind.NAMED, checked.created(), () -> inUse.release(dir));
    }

    private Workspace checkout(TaskDispatch dispatch) throws WorkspaceException {
        Optional<Path> local = RepositoryMirrors.localPath(dispatch.repoUrl());
        if (local.isPresent()) {
            roots.checkLocalRepository(local.get(), dispatch.repoUrl().strip());
        }
        UUID workspaceId = dispatch.workspaceId() != null ? dispatch.workspaceId() : dispatch.taskId();
        RepositoryMirrors.Checkout checkout = mirrors.take(dispatch.repoUrl(), dispatch.repoRef(), workspaceId,
                dispatch.resumeSessionId() != null);
        Path dir = checkout.directory();
        return new Workspace(dir, Workspace.Kind.CHECKOUT, checkout.created(), () -> {
            mirrors.markUsed(checkout.mirror());
            endUse(dir);
        });
    }

    private Workspace scratch(Path dir) throws WorkspaceException {
        take(dir);
        boolean created;
        try {
            created = !Files.isDirectory(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            inUse.release(dir);
            throw new WorkspaceException(Reason.IO, "cannot create working directory " + dir + ": " + e.getMessage());
        }
        Directories.touch(dir, settings.clock().instant());
        return new Workspace(dir, Workspace.Kind.SCRATCH, created, () -> endUse(dir));
    }

    private void take(Path dir) throws WorkspaceException {
        try {
            if (!inUse.tryTakeAlone(dir)) {
                throw new WorkspaceException(Reason.IN_USE, dir + " is in use by another attempt on this worker");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException(Reason.IO, "interrupted while taking " + dir);
        }
    }

    /** Stamps the end of the use before letting go: a sweep in between must see the new time, not the old. */
    private void endUse(Path dir) {
        Directories.touch(dir, settings.clock().instant());
        inUse.release(dir);
    }

    private void sweepQuietly() {
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Workspace sweep failed; trying again in %s", settings.sweepInterval());
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    @PreDestroy
    void close() {
        sweeps.shutdownNow();
    }
}
