package dev.taskq.worker.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Removes what the worker made once nobody needs it. The rule: a checkout ({@code tasks/<id>}) or a fresh attempt
 * directory ({@code <task id>-<attempt>}) goes when it is not in use and its last use ended more than
 * {@code retention} ago; then every clone is pruned of the checkouts it lost, and a clone with no checkout left and
 * no use for {@code mirror-retention} goes too. The last use is the directory's modification time, which the worker
 * sets when an attempt takes and releases it, so it survives a restart. Only names the worker itself makes are
 * touched: anything else in the work root stays.
 */
final class WorkspaceSweeper {

    private static final Logger LOG = Logger.getLogger(WorkspaceSweeper.class);
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Pattern SCRATCH = Pattern.compile(UUID_PATTERN + "-[0-9]+");
    private static final Pattern CHECKOUT = Pattern.compile(UUID_PATTERN);
    private static final Pattern MIRROR = Pattern.compile("([0-9a-f]{20})\\.git");
    private static final Pattern PARTIAL_MIRROR = Pattern.compile("([0-9a-f]{20})\\.git\\.partial");

    /** What one sweep removed. */
    record Swept(List<Path> workspaces, List<Path> mirrors) {}

    private final WorkspaceSettings settings;
    private final RepositoryMirrors mirrors;
    private final MirrorLocks locks;
    private final InUse inUse;

    WorkspaceSweeper(WorkspaceSettings settings, RepositoryMirrors mirrors, MirrorLocks locks, InUse inUse) {
        this.settings = settings;
        this.mirrors = mirrors;
        this.locks = locks;
        this.inUse = inUse;
    }

    Swept sweep() {
        Instant now = settings.clock().instant();
        // Another worker process sharing this work root sees only times: keep those of workspaces in use current.
        inUse.used().stream().filter(dir -> dir.startsWith(settings.workRoot())).forEach(dir -> Directories.touch(dir, now));
        List<Path> removedWorkspaces = new ArrayList<>();
        for (Path scratch : entries(settings.workRoot(), SCRATCH)) {
            if (removeIfExpired(scratch, now)) {
                removedWorkspaces.add(scratch);
            }
        }
        for (Path checkout : entries(settings.tasksDir(), CHECKOUT)) {
            if (sweepCheckout(checkout, now)) {
                removedWorkspaces.add(checkout);
            }
        }
        List<Path> removedMirrors = new ArrayList<>();
        for (Path mirror : entries(settings.reposDir(), MIRROR)) {
            if (sweepMirror(mirror, now)) {
                removedMirrors.add(mirror);
            }
        }
        for (Path partial : entries(settings.reposDir(), PARTIAL_MIRROR)) {
            sweepPartial(partial);
        }
        if (!removedWorkspaces.isEmpty() || !removedMirrors.isEmpty()) {
            LOG.infof("Removed %d workspace(s) and %d repository clone(s) past their retention",
                    removedWorkspaces.size(), removedMirrors.size());
        }
        return new Swept(List.copyOf(removedWorkspaces), List.copyOf(removedMirrors));
    }

    private boolean sweepCheckout(Path checkout, Instant now) {
        if (!expired(checkout, settings.retention(), now)) {
            return false;
        }
        Path mirror = mirrors.mirrorOfCheckout(checkout);
        if (mirror == null || !RepositoryMirrors.isMirror(mirror)) {
            return removeIfExpired(checkout, now);
        }
        try {
            // Under the clone's lock: an attempt taking this checkout waits, then finds it gone and makes it again.
            // The clone forgets it (git worktree prune) when the clones are swept next.
            return locks.locked(mirror.getFileName().toString().replaceFirst("\\.git$", ""),
                    () -> removeIfExpired(checkout, now));
        } catch (WorkspaceException e) {
            LOG.warnf("Cannot sweep checkout %s: %s", checkout, e.getMessage());
            return false;
        }
    }

    private boolean sweepMirror(Path mirror, Instant now) {
        String name = mirror.getFileName().toString().replaceFirst("\\.git$", "");
        try {
            return locks.locked(name, () -> {
                if (!RepositoryMirrors.isMirror(mirror)) {
                    return false;
                }
                mirrors.prune(mirror);
                try {
                    Path used = mirror.resolve(RepositoryMirrors.USED_MARKER);
                    Path since = Files.exists(used) ? used : mirror;
                    if (RepositoryMirrors.hasCheckouts(mirror) || !expired(since, settings.mirrorRetention(), now)) {
                        return false;
                    }
                    LOG.infof("Removing repository clone %s: no checkout left and unused since %s",
                            mirror, Directories.lastUsed(since));
                    Directories.deleteTree(mirror);
                    return true;
                } catch (IOException e) {
                    LOG.warnf("Cannot sweep repository clone %s: %s", mirror, e.getMessage());
                    return false;
                }
            });
        } catch (WorkspaceException e) {
            LOG.warnf("Cannot sweep repository clone %s: %s", mirror, e.getMessage());
            return false;
        }
    }

    /** A clone cut short by a crash; under the lock, so never one being made right now. */
    private void sweepPartial(Path partial) {
        String name = partial.getFileName().toString().replaceFirst("\\.git\\.partial$", "");
        try {
            locks.locked(name, () -> {
                try {
                    Directories.deleteTree(partial);
                } catch (IOException e) {
                    LOG.warnf("Cannot remove %s: %s", partial, e.getMessage());
                }
                return null;
            });
        } catch (WorkspaceException e) {
            LOG.warnf("Cannot remove %s: %s", partial, e.getMessage());
        }
    }

    /** Removes {@code directory} if nobody uses it and its last use is past the retention (checked once claimed). */
    private boolean removeIfExpired(Path directory, Instant now) {
        if (!expired(directory, settings.retention(), now) || !inUse.claimForRemoval(directory)) {
            return false;
        }
        try {
            // Re-read: an attempt may have ended, and stamped it, between the first look and the claim.
            if (!expired(directory, settings.retention(), now)) {
                return false;
            }
            LOG.infof("Removing workspace %s, unused since %s", directory, Directories.lastUsed(directory));
            Directories.deleteTree(directory);
            return true;
        } catch (IOException e) {
            LOG.warnf("Cannot remove workspace %s: %s", directory, e.getMessage());
            return false;
        } finally {
            inUse.removed(directory);
        }
    }

    private static boolean expired(Path path, Duration retention, Instant now) {
        try {
            return !Directories.lastUsed(path).plus(retention).isAfter(now);
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> entries(Path dir, Pattern names) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children
                    .filter(child -> names.matcher(child.getFileName().toString()).matches())
                    .filter(child -> Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Cannot list %s: %s", dir, e.getMessage());
            return List.of();
        }
    }
}
