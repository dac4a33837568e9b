package dev.taskq.worker.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Kills a process together with everything it started: the CLI runs tool commands as grandchildren. */
public final class ProcessTree {

    /** How often a descendant is looked at while waiting for it: its exit may leave a zombie no one reaps at once. */
    private static final Duration EXIT_POLL = Duration.ofMillis(20);
    /** How long a SIGKILLed process is waited for: the kernel ends it at once, unless it sits in uninterruptible I/O. */
    private static final Duration KILLED_EXIT_WAIT = Duration.ofSeconds(5);

    private ProcessTree() {}

    /**
     * Sends SIGTERM to the root and every descendant, waits up to {@code grace} for them to exit, then sends
     * SIGKILL to whatever is left. Returns once every process of the tree has exited or been killed, and {@code root}
     * reports its end (its {@link Process#isAlive} is false, its exit code readable).
     */
    public static void kill(Process root, Duration grace) {
        // Snapshot first: once the root dies its children are re-parented and can no longer be found from it.
        Set<ProcessHandle> tree = snapshot(root.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        awaitExit(root, tree, deadline);
        List<ProcessHandle> survivors = new ArrayList<>();
        for (ProcessHandle process : tree) {
            if (!hasExited(process)) {
                // Whatever a survivor started during the grace period goes too.
                survivors.addAll(snapshot(process));
            }
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        long killedDeadline = System.nanoTime() + KILLED_EXIT_WAIT.toNanos();
        awaitExit(root, survivors, killedDeadline);
        // A root that ended just after the grace, a zombie not yet reaped, was no survivor: its Process must still say so.
        awaitExit(root, List.of(root.toHandle()), killedDeadline);
    }

    /**
     * Whether the process has ended, including as a zombie: a grandchild orphaned by the kill is re-parented to PID 1,
     * and until PID 1 reaps it Java still calls it alive. A JVM that is PID 1 itself (the container's entrypoint execs
     * it) never reaps such orphans, and this machine's init reaps them only every couple of seconds; waiting for them
     * held a killed session's report for the grace period and then 5 s per orphan.
     */
    public static boolean hasExited(ProcessHandle process) {
        return !process.isAlive() || isZombie(process.pid());
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) state ...: comm may contain spaces and parentheses, the state follows the last ')'.
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            // Gone (reaped since), or no /proc on this system: isAlive alone decides.
            return false;
        }
    }

    private static Set<ProcessHandle> snapshot(ProcessHandle root) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    /**
     * Waits until {@code deadline} for the processes to exit. The root, this JVM's own child, is waited for through its
     * {@link Process}: only once the JDK has reaped it and recorded its exit does that {@code Process} read dead, and
     * its {@link ProcessHandle} stops reading alive a moment before. Any other descendant is polled, because
     * {@code onExit} completes for it only once PID 1 reaps its zombie, like {@code isAlive} turning false.
     */
    private static void awaitExit(Process root, Collection<ProcessHandle> processes, long deadline) {
        try {
            for (ProcessHandle process : processes) {
                if (process.pid() == root.pid()) {
                    root.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    continue;
                }
                while (!hasExited(process) && System.nanoTime() < deadline) {
                    Thread.sleep(EXIT_POLL);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
