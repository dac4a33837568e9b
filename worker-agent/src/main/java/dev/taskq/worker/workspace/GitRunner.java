package dev.taskq.worker.workspace;

import dev.taskq.worker.session.ProcessTree;
import dev.taskq.worker.workspace.WorkspaceException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs git without a shell, each command bounded by a timeout, never waiting for a person: no terminal prompt for
 * credentials, ssh in batch mode, stdin empty. Output and errors are redacted of credentials in URLs.
 */
final class GitRunner {

    private static final Logger LOG = Logger.getLogger(GitRunner.class);
    // How much of git's stderr an error message carries: the last lines say what went wrong.
    private static final int STDERR_TAIL_CHARS = 600;
    private static final int STDOUT_MAX_BYTES = 1 << 20;
    // Variables that would point git at another repository or index than the one the worker means.
    private static final Set<String> REPOSITORY_VARIABLES = Set.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE",
            "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM");

    /** What one git command did; {@code stderrTail} is redacted. */
    record Result(int exitCode, String stdout, String stderrTail) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final String executable;
    private final Map<String, String> environment;
    private final Duration timeout;

    GitRunner(String executable, Map<String, String> baseEnvironment, Duration timeout) {
        this.executable = executable;
        Map<String, String> env = new HashMap<>(baseEnvironment);
        env.keySet().removeAll(REPOSITORY_VARIABLES);
        env.put("GIT_TERMINAL_PROMPT", "0");
        // Git Credential Manager's own switch for the same thing.
        env.put("GCM_INTERACTIVE", "never");
        if (!env.containsKey("GIT_SSH_COMMAND") && !env.containsKey("GIT_SSH")) {
            env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        }
        this.environment = Map.copyOf(env);
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** Runs {@code git <args>} in {@code directory}; fails only when git cannot run or runs out of time. */
    Result run(Path directory, String... args) throws WorkspaceException {
        List<String> argv = new ArrayList<>(args.length + 3);
        argv.add(executable);
        // The ext:: transport runs an arbitrary command; no repository URL may use it.
        argv.add("-c");
        argv.add("protocol.ext.allow=never");
        argv.addAll(List.of(args));
        String shown = Redaction.redact("git " + String.join(" ", args));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new WorkspaceException(Reason.GIT_FAILED, "cannot run " + executable + ": " + e.getMessage());
        }
        LOG.debugf("%s (in %s, pid %d)", shown, directory, process.pid());
        Output stdout = Output.drain(process.getInputStream(), STDOUT_MAX_BYTES, false);
        Output stderr = Output.drain(process.getErrorStream(), STDERR_TAIL_CHARS * 4, true);
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                // A clone runs git-remote-https or ssh as children: they go too.
                ProcessTree.kill(process, Duration.ofSeconds(2));
                String lastWords = tail(stderr.text());
                throw new WorkspaceException(Reason.GIT_FAILED, shown + " took longer than " + timeout
                        + (lastWords.isEmpty() ? "" : ": " + lastWords));
            }
            return new Result(process.exitValue(), stdout.text().strip(), tail(Redaction.redact(stderr.text())));
        } catch (InterruptedException e) {
            ProcessTree.kill(process, Duration.ofSeconds(2));
            Thread.currentThread().interrupt();
            throw new WorkspaceException(Reason.GIT_FAILED, shown + " was interrupted");
        }
    }

    /** Like {@link #run}, and a non-zero exit is a failure whose message ends with git's last words. */
    Result require(Path directory, String what, String... args) throws WorkspaceException {
        Result result = run(directory, args);
        if (!result.ok()) {
            throw new WorkspaceException(Reason.GIT_FAILED, what + " failed (git exit " + result.exitCode() + ")"
                    + (result.stderrTail().isEmpty() ? "" : ": " + result.stderrTail()));
        }
        return result;
    }

    private static String tail(String text) {
        String stripped = text.strip();
        return stripped.length() <= STDERR_TAIL_CHARS
                ? stripped
                : "..." + stripped.substring(stripped.length() - STDERR_TAIL_CHARS);
    }

    /** A stream read to its end on a virtual thread, keeping its first (or last) {@code limit} bytes. */
    private static final class Output {
        private final Thread reader;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        private Output(InputStream stream, int limit, boolean keepTail) {
            this.reader = Thread.ofVirtual().name("git-output").start(() -> read(stream, limit, keepTail));
        }

        static Output drain(InputStream stream, int limit, boolean keepTail) {
            return new Output(stream, limit, keepTail);
        }

        private void read(InputStream stream, int limit, boolean keepTail) {
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) >= 0) {
                    synchronized (kept) {
                        if (keepTail) {
                            kept.write(buffer, 0, n);
                            if (kept.size() > 2 * limit) {
                                byte[] all = kept.toByteArray();
                                kept.reset();
                                kept.write(all, all.length - limit, limit);
                            }
                        } else if (kept.size() < limit) {
                            kept.write(buffer, 0, Math.min(n, limit - kept.size()));
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        String text() throws InterruptedException {
            // A grandchild holding the pipe open must not hold us up once git itself has exited.
            reader.join(Duration.ofSeconds(2));
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
