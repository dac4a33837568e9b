package dev.taskq.worker.workspace;

import dev.taskq.worker.workspace.WorkspaceException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per repository clone, held while it is cloned, fetched, checked out from, pruned or removed: two dispatches
 * of one repository never clone it twice or fetch into it at once. A lock file ({@code repos/<name>.lock}, kept for
 * good) extends it to other worker processes that share the work root.
 */
final class MirrorLocks {

    /** Work done under a mirror's lock. */
    interface Locked<T> {
        T run() throws WorkspaceException;
    }

    private final Path reposDir;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    MirrorLocks(Path reposDir) {
        this.reposDir = reposDir;
    }

    /** Runs {@code work} holding the lock of the mirror named {@code name} (its directory name without .git). */
    <T> T locked(String name, Locked<T> work) throws WorkspaceException {
        ReentrantLock lock = locks.computeIfAbsent(name, key -> new ReentrantLock());
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException(Reason.IO, "interrupted while waiting for repository " + name);
        }
        try {
            Files.createDirectories(reposDir);
            // The JVM allows one FileLock per file, hence the in-process lock around it.
            try (FileChannel channel = FileChannel.open(reposDir.resolve(name + ".lock"),
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                return work.run();
            }
        } catch (IOException e) {
            throw new WorkspaceException(Reason.IO, "cannot lock repository " + name + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
