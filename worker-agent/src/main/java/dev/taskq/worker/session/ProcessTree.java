package dev.taskq.worker.session;

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
            if (process.isAlive()) {
                // Whatever a survivor started during the grace period goes too.
                survivors.addAll(snapshot(process));
            }
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : survivors) {
            awaitExit(process, TimeUnit.SECONDS.toNanos(5));
        }
    }

    private static Set<ProcessHandle> snapshot(ProcessHandle root) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    private static void awaitExit(ProcessHandle process, long nanos) {
        try {
            process.onExit().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still alive: handled by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
