package dev.taskq.worker.workspace;

import dev.taskq.worker.workspace.WorkspaceException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The worker's local clone of each repository tasks name, and the per-task checkouts made from it.
 *
 * <p>A clone is bare, under {@code repos/<sha-256 of the URL, 20 hex>.git}, and fetches branches as
 * {@code refs/remotes/origin/*} and tags as {@code refs/tags/*}. It is not a {@code git clone --mirror}: in a mirror
 * a plain {@code git push} from a task's checkout would push every ref with force, and {@code fetch --prune} would
 * delete the branches sessions commit to. A task's checkout is a {@code git worktree} of the clone at
 * {@code tasks/<workspace id>}, detached at the ref's commit, so tasks on one repository never share a tree but share
 * the objects.
 */
final class RepositoryMirrors {

    private static final Logger LOG = Logger.getLogger(RepositoryMirrors.class);
    static final String FETCHED_MARKER = "taskq-fetched";
    static final String USED_MARKER = "taskq-used";
    private static final Pattern FULL_COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    // "<transport>::<address>" runs a remote helper of that name; no task gets to pick one.
    private static final Pattern REMOTE_HELPER = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::");
    // Revision syntax and what git check-ref-format forbids: a ref names a branch, a tag or a commit, nothing else.
    private static final Pattern REF_FORBIDDEN = Pattern.compile("\\.\\.|@\\{|[\\s~^:?*\\[\\\\]|\\p{Cntrl}");
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_REF_LENGTH = 255;

    /** A task's checkout, ready for its session; {@code created} when made for this attempt. */
    record Checkout(Path directory, Path mirror, boolean created) {}

    private final Path reposDir;
    private final Path tasksDir;
    private final GitRunner git;
    private final MirrorLocks locks;
    private final InUse inUse;
    private final Duration fetchInterval;
    private final Clock clock;

    RepositoryMirrors(Path reposDir, Path tasksDir, GitRunner git, MirrorLocks locks, InUse inUse,
            Duration fetchInterval, Clock clock) {
        this.reposDir = reposDir;
        this.tasksDir = tasksDir;
        this.git = git;
        this.locks = locks;
        this.inUse = inUse;
        this.fetchInterval = fetchInterval;
        this.clock = clock;
    }

    /** The directory name of the clone of {@code url} (without {@code .git}). */
    static String mirrorName(String url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The directory a URL names when git would read it off this machine: {@code file://...}, or a path (anything
     * without a scheme and without the {@code host:path} form of ssh). Empty for a remote URL.
     */
    static Optional<Path> localPath(String url) throws WorkspaceException {
        String clean = url.strip();
        try {
            int scheme = clean.indexOf("://");
            if (scheme >= 0) {
                return clean.substring(0, scheme).equalsIgnoreCase("file")
                        ? Optional.of(Path.of(URI.create(clean).getPath()))
                        : Optional.empty();
            }
            int colon = clean.indexOf(':');
            int slash = clean.indexOf('/');
            boolean scpLike = colon > 0 && (slash < 0 || colon < slash);
            return scpLike ? Optional.empty() : Optional.of(Path.of(clean));
        } catch (IllegalArgumentException e) {
            throw new WorkspaceException(Reason.REJECTED, "repository URL " + clean + " is not a valid URL");
        }
    }

    Path mirrorOf(String url) {
        return reposDir.resolve(mirrorName(url) + ".git");
    }

    /**
     * Takes the checkout {@code tasks/<workspaceId>} for one attempt: the existing one as it is (a retry or resume
     * on this worker), else a new one at {@code ref} (the default branch when null), cloning or fetching first as
     * needed. The caller must {@link InUse#release} the directory when the attempt ends.
     *
     * @param mustExist a resume: its session's files are in the existing checkout, and a new one would not hold them
     */
    Checkout take(String url, String ref, UUID workspaceId, boolean mustExist) throws WorkspaceException {
        String cleanUrl = requireValidUrl(url);
        String cleanRef = requireValidRef(ref);
        String name = mirrorName(cleanUrl);
        Path mirror = reposDir.resolve(name + ".git");
        Path directory = tasksDir.resolve(workspaceId.toString());
        return locks.locked(name, () -> {
            boolean fetched = false;
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                switch (stateOf(directory, mirror)) {
                    case OURS -> {
                        takeAlone(directory, workspaceId);
                        Directories.touch(directory, clock.instant());
                        markUsed(mirror);
                        LOG.infof("Reusing checkout %s of %s", directory, Redaction.redact(cleanUrl));
                        return new Checkout(directory, mirror, false);
                    }
                    case FOREIGN -> throw new WorkspaceException(Reason.REJECTED,
                            "workspace " + workspaceId + " holds a checkout of another repository than " + cleanUrl);
                    case BROKEN -> {
                        if (mustExist) {
                            throw notHere(workspaceId);
                        }
                        removeBroken(directory, workspaceId);
                    }
                }
            }
            if (mustExist) {
                throw notHere(workspaceId);
            }
            if (!isMirror(mirror)) {
                cloneInto(mirror, name, cleanUrl);
                fetched = true;
            }
            boolean knownCommit = cleanRef != null && FULL_COMMIT.matcher(cleanRef).matches()
                    && resolve(mirror, cleanRef) != null;
            if (!fetched && !knownCommit && fetchDue(mirror)) {
                fetch(mirror, cleanUrl);
                fetched = true;
            }
            String commit = resolve(mirror, cleanRef);
            if (commit == null && !fetched) {
                // A branch pushed since the last fetch: worth one more look before giving up.
                fetch(mirror, cleanUrl);
                commit = resolve(mirror, cleanRef);
            }
            if (commit == null) {
                throw new WorkspaceException(Reason.REF_NOT_FOUND, cleanRef == null
                        ? "repository " + cleanUrl + " has no default branch"
                        : "ref " + cleanRef + " is no branch, tag or commit of " + cleanUrl);
            }
            takeAlone(directory, workspaceId);
            try {
                addWorktree(mirror, directory, commit, cleanUrl);
            } catch (WorkspaceException | RuntimeException e) {
                inUse.release(directory);
                throw e;
            }
            markUsed(mirror);
            LOG.infof("Checked out %s of %s at %s in %s", cleanRef == null ? "the default branch" : cleanRef,
                    Redaction.redact(cleanUrl), commit, directory);
            return new Checkout(directory, mirror, true);
        });
    }

    /** Records a use of the clone: it is removed only after {@code mirror-retention} without one. */
    void markUsed(Path mirror) {
        stamp(mirror.resolve(USED_MARKER));
    }

    static boolean isMirror(Path mirror) {
        return Files.isRegularFile(mirror.resolve("HEAD")) && Files.isDirectory(mirror.resolve("objects"));
    }

    /** The clone a checkout belongs to, from its {@code .git} file; null when it has none under the repos dir. */
    Path mirrorOfCheckout(Path directory) {
        Path gitDir = gitDirOf(directory);
        if (gitDir == null || gitDir.getParent() == null || gitDir.getParent().getParent() == null) {
            return null;
        }
        Path mirror = gitDir.getParent().getParent();
        return mirror.getParent() != null && mirror.getParent().equals(reposDir) ? mirror : null;
    }

    /** {@code git worktree prune}: forgets checkouts whose directory is gone. */
    void prune(Path mirror) throws WorkspaceException {
        git.require(mirror, "pruning the checkouts of " + mirror, "worktree", "prune");
    }

    /** Whether any checkout of the clone is still registered. */
    static boolean hasCheckouts(Path mirror) throws IOException {
        Path worktrees = mirror.resolve("worktrees");
        if (!Files.isDirectory(worktrees)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(worktrees)) {
            return entries.findAny().isPresent();
        }
    }

    private enum State { OURS, FOREIGN, BROKEN }

    private State stateOf(Path directory, Path mirror) {
        Path gitDir = gitDirOf(directory);
        if (gitDir == null) {
            return State.BROKEN;
        }
        if (!gitDir.startsWith(mirror.resolve("worktrees"))) {
            return State.FOREIGN;
        }
        return Files.isDirectory(gitDir) && isMirror(mirror) ? State.OURS : State.BROKEN;
    }

    private static Path gitDirOf(Path directory) {
        Path dotGit = directory.resolve(".git");
        if (!Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            String content = Files.readString(dotGit).strip();
            return content.startsWith("gitdir: ") ? Path.of(content.substring("gitdir: ".length())).normalize() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void takeAlone(Path directory, UUID workspaceId) throws WorkspaceException {
        try {
            if (!inUse.tryTakeAlone(directory)) {
                throw new WorkspaceException(Reason.IN_USE,
                        "workspace " + workspaceId + " is in use by another attempt on this worker");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException(Reason.IO, "interrupted while taking workspace " + workspaceId);
        }
    }

    /** A directory under tasks/ that is no checkout (a crash during worktree add, say): made again from scratch. */
    private void removeBroken(Path directory, UUID workspaceId) throws WorkspaceException {
        if (!inUse.claimForRemoval(directory)) {
            throw new WorkspaceException(Reason.IN_USE,
                    "workspace " + workspaceId + " is in use by another attempt on this worker");
        }
        try {
            LOG.warnf("Workspace %s is no usable checkout; making it again", directory);
            Directories.deleteTree(directory);
        } catch (IOException e) {
            throw new WorkspaceException(Reason.IO, "cannot remove broken workspace " + directory + ": " + e.getMessage());
        } finally {
            inUse.removed(directory);
        }
    }

    private static WorkspaceException notHere(UUID workspaceId) {
        return new WorkspaceException(Reason.NOT_ON_THIS_WORKER, "workspace " + workspaceId + " is not on this worker");
    }

    private void cloneInto(Path mirror, String name, String url) throws WorkspaceException {
        // Built beside its final place and renamed into it: a clone cut short never looks like a usable one.
        Path partial = reposDir.resolve(name + ".git.partial");
        try {
            Directories.deleteTree(partial);
            Directories.deleteTree(mirror);
        } catch (IOException e) {
            throw new WorkspaceException(Reason.IO, "cannot clear " + partial + ": " + e.getMessage());
        }
        try {
            git.require(reposDir, "creating the clone of " + url, "init", "--bare", "-q", partial.toString());
            git.require(partial, "configuring the clone of " + url, "config", "remote.origin.url", url);
            git.require(partial, "configuring the clone of " + url,
                    "config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*");
            git.require(partial, "configuring the clone of " + url, "config", "remote.origin.tagOpt", "--tags");
            git.require(partial, "clone of " + url, "fetch", "--prune", "origin");
            // Makes refs/remotes/origin/HEAD name the default branch; an empty repository has none yet.
            git.run(partial, "remote", "set-head", "origin", "--auto");
            stamp(partial.resolve(FETCHED_MARKER));
            Files.move(partial, mirror, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new WorkspaceException(Reason.IO, "cannot move the clone of " + url + " into place: " + e.getMessage());
        } finally {
            try {
                Directories.deleteTree(partial);
            } catch (IOException e) {
                LOG.warnf("Cannot remove %s: %s", partial, e.getMessage());
            }
        }
        LOG.infof("Cloned %s into %s", Redaction.redact(url), mirror);
    }

    private boolean fetchDue(Path mirror) {
        try {
            Instant last = Directories.lastUsed(mirror.resolve(FETCHED_MARKER));
            return !last.plus(fetchInterval).isAfter(clock.instant());
        } catch (IOException e) {
            return true;
        }
    }

    private void fetch(Path mirror, String url) throws WorkspaceException {
        git.require(mirror, "fetch of " + url, "fetch", "--prune", "origin");
        stamp(mirror.resolve(FETCHED_MARKER));
    }

    /** The commit {@code ref} names in the clone (the default branch when null), or null. */
    private String resolve(Path mirror, String ref) throws WorkspaceException {
        if (ref == null) {
            String commit = commitOf(mirror, "refs/remotes/origin/HEAD");
            if (commit == null) {
                // Cloned while the repository was empty, or its default branch changed since.
                git.run(mirror, "remote", "set-head", "origin", "--auto");
                commit = commitOf(mirror, "refs/remotes/origin/HEAD");
            }
            return commit;
        }
        List<String> candidates;
        if (ref.startsWith("refs/heads/")) {
            candidates = List.of("refs/remotes/origin/" + ref.substring("refs/heads/".length()));
        } else if (ref.startsWith("refs/")) {
            candidates = List.of(ref);
        } else {
            // A branch before a tag of the same name, as the repository's own users see it; then a commit.
            candidates = List.of("refs/remotes/origin/" + ref, "refs/tags/" + ref, ref);
        }
        for (String candidate : candidates) {
            String commit = commitOf(mirror, candidate);
            if (commit != null) {
                return commit;
            }
        }
        return null;
    }

    private String commitOf(Path mirror, String revision) throws WorkspaceException {
        GitRunner.Result result =
                git.run(mirror, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}");
        return result.ok() && !result.stdout().isEmpty() ? result.stdout() : null;
    }

    private void addWorktree(Path mirror, Path directory, String commit, String url) throws WorkspaceException {
        try {
            Files.createDirectories(tasksDir);
        } catch (IOException e) {
            throw new WorkspaceException(Reason.IO, "cannot create " + tasksDir + ": " + e.getMessage());
        }
        if (Files.exists(mirror.resolve("worktrees").resolve(directory.getFileName()))) {
            // Still registered though its directory is gone: git refuses to add it again until pruned.
            prune(mirror);
        }
        try {
            git.require(mirror, "checkout of " + url + " at " + commit,
                    "worktree", "add", "--detach", directory.toString(), commit);
        } catch (WorkspaceException e) {
            try {
                Directories.deleteTree(directory);
                prune(mirror);
            } catch (IOException | WorkspaceException cleanup) {
                LOG.warnf("Cannot clean up after the failed checkout %s: %s", directory, cleanup.getMessage());
            }
            throw e;
        }
        Directories.touch(directory, clock.instant());
    }

    private void stamp(Path path) {
        try {
            if (!Files.exists(path)) {
                Files.createFile(path);
            }
        } catch (IOException e) {
            LOG.debugf("Cannot create %s: %s", path, e.getMessage());
        }
        Directories.touch(path, clock.instant());
    }

    private static String requireValidUrl(String url) throws WorkspaceException {
        String clean = url == null ? "" : url.strip();
        if (clean.isEmpty() || clean.length() > MAX_URL_LENGTH || clean.startsWith("-")
                || clean.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new WorkspaceException(Reason.REJECTED, "repository URL " + clean + " is not a valid URL");
        }
        if (REMOTE_HELPER.matcher(clean).find()) {
            throw new WorkspaceException(Reason.REJECTED,
                    "repository URL " + clean + " names a git remote helper, which the worker does not run");
        }
        return clean;
    }

    private static String requireValidRef(String ref) throws WorkspaceException {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        String clean = ref.strip();
        if (clean.length() > MAX_REF_LENGTH || clean.startsWith("-") || clean.endsWith(".lock")
                || clean.endsWith("/") || clean.endsWith(".") || REF_FORBIDDEN.matcher(clean).find()) {
            throw new WorkspaceException(Reason.REJECTED, "ref " + clean + " is not a branch, tag or commit name");
        }
        return clean;
    }
}
