package dev.taskq.worker.session;

import dev.taskq.common.event.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Reads the git state a session left its working directory in (branch, commit, dirty files), for a continuation to
 * pick the work up. Runs git without a shell, with the sessions' own environment, under one overall timeout.
 */
final class CheckpointReader {

    static final int MAX_DIRTY_FILES = 50;
    private static final Logger LOG = Logger.getLogger(CheckpointReader.class);

    private final String git;
    private final Map<String, String> environment;
    private final Duration timeout;

    /**
     * @param environment the sessions' environment: the repository is the session's work, so git must not see the
     *     worker's own secrets either
     */
    CheckpointReader(String git, Map<String, String> environment, Duration timeout) {
        this.git = git;
        Map<String, String> env = new HashMap<>(environment);
        // Reading must not take the index lock or rewrite the index under anyone else's feet.
        env.put("GIT_OPTIONAL_LOCKS", "0");
        this.environment = Map.copyOf(env);
        this.timeout = timeout;
    }

    /** How long one read may take, all its git commands together. */
    Duration timeout() {
        return timeout;
    }

    /** The checkpoint of {@code directory}, or null when it is not inside a git work tree or git fails. */
    Checkpoint read(Path directory) {
        // Most sessions run in a fresh directory that is no checkout: a few stats spare them the git processes.
        if (!hasGitAncestor(directory)) {
            return null;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            GitOutput inside = run(directory, deadline, "rev-parse", "--is-inside-work-tree");
            if (inside.exitCode() != 0 || !inside.text().equals("true")) {
                return null;
            }
            GitOutput branch = run(directory, deadline, "rev-parse", "--abbrev-ref", "HEAD");
            GitOutput commit = run(directory, deadline, "rev-parse", "HEAD");
            // -z: paths unquoted and NUL-separated; core.fsmonitor off so a repository's config runs no hook here.
            GitOutput status = run(directory, deadline, "-c", "core.fsmonitor=false", "status", "--porcelain", "-z");
            if (status.exitCode() != 0) {
                return null;
            }
            DirtyFiles dirty = dirtyFiles(status.bytes(), MAX_DIRTY_FILES);
            // An unborn branch (no commit yet) has neither; the dirty files still say what was done.
            return Checkpoint.ofGit(directory.toString(), branch.exitCode() == 0 ? branch.text() : null,
                    commit.exitCode() == 0 ? commit.text() : null, dirty.paths(), dirty.truncated());
        } catch (GitFailed e) {
            LOG.debugf("No checkpoint of %s: %s", directory, e.getMessage());
            return null;
        }
    }

    record DirtyFiles(List<String> paths, boolean truncated) {}

    /**
     * Parses {@code git status --porcelain -z}: entries {@code XY path}, NUL-terminated; a rename or copy is followed
     * by its source path as one more entry, which is skipped.
     */
    static DirtyFiles dirtyFiles(byte[] porcelainZ, int max) {
        String[] entries = new String(porcelainZ, StandardCharsets.UTF_8).split("\0");
        List<String> paths = new ArrayList<>();
        boolean truncated = false;
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            if (entry.length() < 4) {
                continue;
            }
            if (entry.charAt(0) == 'R' || entry.charAt(0) == 'C') {
                i++;
            }
            if (paths.size() == max) {
                truncated = true;
                break;
            }
            paths.add(entry.substring(3));
        }
        return new DirtyFiles(List.copyOf(paths), truncated);
    }

    private static boolean hasGitAncestor(Path directory) {
        for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    private record GitOutput(int exitCode, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8).strip();
        }
    }

    private GitOutput run(Path directory, long deadline, String... args) throws GitFailed {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(git);
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GitFailed("cannot run " + git + ": " + e.getMessage());
        }
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                command -> Thread.ofVirtual().name("git-output").start(command));
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                throw new GitFailed("git " + String.join(" ", args) + " took longer than " + timeout);
            }
            return new GitOutput(process.exitValue(), output.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitFailed("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new GitFailed("cannot read the output of git " + String.join(" ", args));
        } finally {
            process.destroyForcibly();
        }
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static final class GitFailed extends Exception {
        GitFailed(String message) {
            super(message);
        }
    }
}
