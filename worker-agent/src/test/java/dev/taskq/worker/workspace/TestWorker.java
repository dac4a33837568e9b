package dev.taskq.worker.workspace;

import dev.taskq.common.event.TaskDispatch;
import dev.taskq.testsupport.HandClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds {@link Workspaces} over a temporary work root with the real git, and dispatches that name workspaces. */
final class TestWorker {

    final Path temp;
    final HandClock clock = HandClock.startingNow();
    List<Path> allowedRoots = List.of();
    String git = "git";
    Duration gitTimeout = Duration.ofSeconds(30);
    Duration fetchInterval = Duration.ofSeconds(30);
    Map<String, String> extraEnv = new HashMap<>();

    TestWorker(Path temp) {
        this.temp = temp;
    }

    Path workRoot() {
        return temp.resolve("work");
    }

    Workspaces start() {
        Map<String, String> env = new HashMap<>(Map.of(
                "PATH", System.getenv("PATH"),
                // git reads no configuration of the machine or the user running the tests
                "HOME", temp.resolve("home").toString(),
                "GIT_CONFIG_NOSYSTEM", "1"));
        env.putAll(extraEnv);
        return new Workspaces(new WorkspaceSettings(workRoot(), allowedRoots, git, env, gitTimeout, fetchInterval,
                Duration.ofHours(24), Duration.ZERO, Duration.ofDays(7), "host-1", clock));
    }

    /**
     * Installs a git that logs each command line to {@code git-calls.log} (and sleeps {@code fetchDelay} seconds
     * before a fetch, holding a clone open long enough for a second dispatch to arrive), then runs the real git.
     */
    Path countingGit(String fetchDelay) {
        Path script = temp.resolve("bin/counting-git");
        try {
            Files.createDirectories(script.getParent());
            Files.writeString(script, """
                    #!/bin/sh
                    echo "$*" >> "$GIT_CALLS_LOG"
                    case " $* " in *" fetch "*) sleep %s ;; esac
                    exec git "$@"
                    """.formatted(fetchDelay));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        extraEnv.put("GIT_CALLS_LOG", gitCalls().toString());
        git = script.toString();
        return script;
    }

    Path gitCalls() {
        return temp.resolve("git-calls.log");
    }

    List<String> gitCallsContaining(String words) {
        try {
            return Files.exists(gitCalls())
                    ? Files.readAllLines(gitCalls()).stream().filter(line -> line.contains(words)).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TaskDispatch workingDir(String dir) {
        return dispatch(UUID.randomUUID(), 1, dir, null, null, null, null);
    }

    static TaskDispatch scratch() {
        return dispatch(UUID.randomUUID(), 1, null, null, null, null, null);
    }

    static TaskDispatch repo(String url, String ref) {
        UUID taskId = UUID.randomUUID();
        return dispatch(taskId, 1, null, url, ref, taskId, null);
    }

    static TaskDispatch repo(String url, String ref, UUID workspaceId, int attempt) {
        return dispatch(UUID.randomUUID(), attempt, null, url, ref, workspaceId, null);
    }

    static TaskDispatch resumeOf(String url, UUID workspaceId) {
        return dispatch(UUID.randomUUID(), 1, null, url, null, workspaceId, UUID.randomUUID());
    }

    static TaskDispatch dispatch(UUID taskId, int attempt, String workingDir, String repoUrl, String repoRef,
            UUID workspaceId, UUID resumeSessionId) {
        Instant now = Instant.now();
        return TaskDispatch.ofClaude(taskId, attempt, 5, "default", "work", workingDir, 60, null, null, UUID.randomUUID(),
                Map.of(), now, now, resumeSessionId, null, null, List.of(), List.of(), null, null, repoUrl, repoRef,
                workspaceId);
    }
}
