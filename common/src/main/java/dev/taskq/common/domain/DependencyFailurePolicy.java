package dev.taskq.common.domain;

/**
 * What a task does when one of its dependencies ends without success (FAILED, TIMED_OUT, CANCELLED,
 * UPSTREAM_FAILED or SKIPPED). Chosen per task with {@code onDependencyFailure}; {@link #FAIL} by default.
 *
 * <table>
 * <caption>The dependent's reaction, by policy and by how the dependency ended</caption>
 * <tr><th>policy</th><th>dependency failed / timed out / cancelled / upstream-failed</th><th>dependency skipped</th></tr>
 * <tr><td>FAIL</td><td>UPSTREAM_FAILED at once, naming the dependency</td><td>SKIPPED</td></tr>
 * <tr><td>SKIP</td><td>SKIPPED at once, naming the dependency</td><td>SKIPPED</td></tr>
 * <tr><td>RUN</td><td colspan="2">counts the dependency as resolved; runs once every dependency has ended</td></tr>
 * </table>
 *
 * <p>A skip travels down a chain as a skip, not as a failure: a skipped step was a decision, and the steps after it
 * are skipped for the same reason (Airflow's trigger rules behave the same way).
 */
public enum DependencyFailurePolicy {
    /** The dependent cannot do its work without the dependency: it ends UPSTREAM_FAILED. */
    FAIL,
    /** The dependent is not needed any more: it ends SKIPPED. */
    SKIP,
    /** The dependent runs whatever happened upstream (a cleanup or report step), once all dependencies ended. */
    RUN;

    public static final DependencyFailurePolicy DEFAULT = FAIL;

    /** How a waiting dependent reacts to one of its dependencies ending. */
    public enum Reaction {
        /** One dependency fewer to wait for; the dependent is QUEUED when none is left. */
        RESOLVED,
        /** The dependent ends UPSTREAM_FAILED. */
        UPSTREAM_FAILED,
        /** The dependent ends SKIPPED. */
        SKIPPED
    }

    /** The reaction to a dependency that ended {@code dependencyStatus} (a terminal status). */
    public Reaction onDependencyEnded(TaskStatus dependencyStatus) {
        if (!dependencyStatus.isTerminal()) {
            throw new IllegalArgumentException("a dependency reaction needs a terminal status, got " + dependencyStatus);
        }
        if (dependencyStatus.satisfiesDependents() || this == RUN) {
            return Reaction.RESOLVED;
        }
        if (this == SKIP || dependencyStatus == TaskStatus.SKIPPED) {
            return Reaction.SKIPPED;
        }
        return Reaction.UPSTREAM_FAILED;
    }

    /** Whether a dependency in {@code dependencyStatus} no longer holds this dependent back. */
    public boolean isResolvedBy(TaskStatus dependencyStatus) {
        return dependencyStatus.isTerminal() && onDependencyEnded(dependencyStatus) == Reaction.RESOLVED;
    }
}
