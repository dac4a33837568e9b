package dev.taskq.worker.workspace;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions may run and how the worker keeps their workspaces: the directories a task may name, the repository
 * checkouts it makes for tasks that name a repository, and when it removes them.
 */
@ConfigMapping(prefix = "taskq.worker.workspace")
public interface WorkspaceConfig {

    /**
     * Absolute directories a task's {@code workingDir}, and a repository URL that is a local path ({@code file://}),
     * must lie in (compared component by component, symbolic links resolved). Unset accepts any absolute path without
     * {@code ..}: set it on any shared worker.
     */
    Optional<List<String>> allowedRoots();

    /** A repository is fetched for a dispatch only when its last fetch on this worker is older than this. */
    @WithDefault("30s")
    Duration fetchInterval();

    /** The longest one git command (a first clone, a fetch, a checkout) may take before it is killed. */
    @WithDefault("5m")
    Duration gitTimeout();

    /**
     * A task's repository checkout, and the fresh directory of an attempt that named none, is removed this long after
     * the last attempt that used it on this worker ended. A resume can reach it only until then.
     */
    @WithDefault("24h")
    Duration retention();

    /** How often the worker looks for workspaces past their retention; 0 never removes any. */
    @WithDefault("10m")
    Duration sweepInterval();

    /** A repository's local clone is removed once no checkout of it is left and none was made for this long. */
    @WithDefault("7d")
    Duration mirrorRetention();

    /** The git executable, a path or a name looked up on the worker's PATH. */
    @WithDefault("git")
    String git();
}
