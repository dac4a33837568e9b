package dev.taskq.worker.workspace;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The directory one attempt runs in, held until {@link #close}: while held the sweep leaves it alone and no other
 * attempt on this worker gets the same checkout. Closing records the end of its use, from which its retention runs.
 */
public final class Workspace implements AutoCloseable {

    /** Where the directory came from, which decides whether the worker ever removes it. */
    public enum Kind {
        /** The task's own {@code workingDir}: never removed by the worker. */
        NAMED,
        /** A git worktree of the task's repository under {@code <work-root>/tasks/}: removed after its retention. */
        CHECKOUT,
        /** A fresh per-attempt directory {@code <work-root>/<task id>-<attempt>}: removed after its retention. */
        SCRATCH
    }

    private final Path directory;
    private final Kind kind;
    private final boolean created;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    Workspace(Path directory, Kind kind, boolean created, Runnable release) {
        this.directory = directory;
        this.kind = kind;
        this.created = created;
        this.release = release;
    }

    public Path directory() {
        return directory;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the directory was made for this attempt; false when it existed (a retry or resume reusing it). */
    public boolean created() {
        return created;
    }

    /** Ends this attempt's use of the directory; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }

    @Override
    public String toString() {
        return kind + " " + directory + (created ? " (created)" : "");
    }
}
