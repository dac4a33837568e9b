package dev.taskq.worker.workspace;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link Workspaces} works with, free of Quarkus so tests can build it.
 *
 * @param workRoot holds the fresh per-attempt directories, {@code tasks/} (checkouts) and {@code repos/} (clones)
 * @param allowedRoots absolute, normalized; empty accepts any absolute path without {@code ..}
 * @param gitEnvironment the environment of every git command (the sessions' own: the worker's secrets stay out)
 * @param sweepInterval zero or negative: no periodic sweep
 * @param host this worker's host name, for messages
 */
public record WorkspaceSettings(
        Path workRoot,
        List<Path> allowedRoots,
        String git,
        Map<String, String> gitEnvironment,
        Duration gitTimeout,
        Duration fetchInterval,
        Duration retention,
        Duration sweepInterval,
        Duration mirrorRetention,
        String host,
        Clock clock) {

    public WorkspaceSettings {
        workRoot = workRoot.toAbsolutePath().normalize();
        allowedRoots = List.copyOf(allowedRoots);
        gitEnvironment = Map.copyOf(gitEnvironment);
    }

    static WorkspaceSettings of(WorkspaceConfig config, Path workRoot, Map<String, String> gitEnvironment, String host) {
        return new WorkspaceSettings(
                workRoot,
                AllowedRoots.parse(config.allowedRoots().orElse(List.of())),
                config.git(),
                gitEnvironment,
                config.gitTimeout(),
                config.fetchInterval(),
                config.retention(),
                config.sweepInterval(),
                config.mirrorRetention(),
                host,
                Clock.systemUTC());
    }

    Path tasksDir() {
        return workRoot.resolve("tasks");
    }

    Path reposDir() {
        return workRoot.resolve("repos");
    }
}
