package dev.taskq.worker.workspace;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workspaces attempts on this worker are using right now, so the sweep never removes one in use and two attempts
 * never share a checkout. Lives in memory: after a restart no session runs, and the sweep goes by the last-used time.
 */
final class InUse {

    private final Map<Path, Integer> users = new HashMap<>();
    private final Set<Path> removing = new HashSet<>();

    /**
     * Takes {@code directory} for one attempt alone; false if another attempt has it. Waits while the sweep is
     * removing it (the caller then finds it gone).
     */
    synchronized boolean tryTakeAlone(Path directory) throws InterruptedException {
        awaitNotRemoving(directory);
        if (users.containsKey(directory)) {
            return false;
        }
        users.put(directory, 1);
        return true;
    }

    /** Takes {@code directory} alongside any other users: a directory the task named may be shared on purpose. */
    synchronized void takeShared(Path directory) throws InterruptedException {
        awaitNotRemoving(directory);
        users.merge(directory, 1, Integer::sum);
    }

    synchronized void release(Path directory) {
        users.computeIfPresent(directory, (dir, count) -> count == 1 ? null : count - 1);
    }

    synchronized boolean isUsed(Path directory) {
        return users.containsKey(directory);
    }

    /** Marks {@code directory} as being removed, unless it is in use; then nobody can take it until {@link #removed}. */
    synchronized boolean claimForRemoval(Path directory) {
        if (users.containsKey(directory) || removing.contains(directory)) {
            return false;
        }
        removing.add(directory);
        return true;
    }

    synchronized void removed(Path directory) {
        removing.remove(directory);
        notifyAll();
    }

    synchronized List<Path> used() {
        return List.copyOf(users.keySet());
    }

    private void awaitNotRemoving(Path directory) throws InterruptedException {
        while (removing.contains(directory)) {
            wait();
        }
    }
}
