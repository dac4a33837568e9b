package dev.taskq.worker.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Kills a process together with everything it started: the CLI runs tool commands as grandchildren. */
public final class ProcessTree {

    /** How often a descendant is looked at while waiting for it: its exit may leave a zombie no one reaps at once. */
    private static final Duration EXIT_POLL = Duration.ofMillis(20);

    private ProcessTree() {}

    /**
     * Sends SIGTERM to the root and every descendant, waits up to {@code grace} for them to exit, then sends
     * SIGKILL to whatever is left. Returns once every process of the tree has exited or been killed.
     */
    public static void kill(ProcessHandle root, Duration grace) {
        // Snapshot first: once the root dies its children are re-parented and can no longer be found from it.
        Set<ProcessHandle> tree = snapshot(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle process : tree) {
            awaitExit(process, Math.max(0, deadline - System.nanoTime()));
        }
        List<ProcessHandle> survivors = new ArrayList<>();
        for (ProcessHandle process : tree) {
            if (!hasExited(process)) {
                // Whatever a survivor started during the grace period goes too.
                survivors.addAll(snapshot(process));
            }
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : survivors) {
            awaitExit(process, TimeUnit.SECONDS.toNanos(5));
        }
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
     * A child of this JVM is waited for until the JDK has reaped it, so its {@code Process} reports the end (and exit
     * code) once the kill returns; any other descendant is polled, because {@code onExit} completes for it only once
     * PID 1 reaps its zombie, like {@code isAlive} turning false.
     */
    private static void awaitExit(ProcessHandle process, long nanos) {
        if (process.parent().map(parent -> parent.pid() == ProcessHandle.current().pid()).orElse(false)) {
            try {
                process.onExit().get(nanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still alive: handled by the caller
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        long deadline = System.nanoTime() + nanos;
        while (!hasExited(process) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(EXIT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
