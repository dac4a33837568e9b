package dev.taskq.common.schedule;

/** What happened at one fire time of a schedule. */
public enum RunOutcome {
    /** A task or workflow was created; the run links to it. */
    FIRED,
    /** The previous run's task or workflow had not finished and the overlap policy is skip: no task. */
    SKIPPED_OVERLAP,
    /** The fire time passed while no scheduler ran and the missed-run policy is fail: no task. */
    MISSED,
    /** Creating the run's task or workflow failed (its template no longer holds, a dependency is gone): nothing created. */
    FIRE_FAILED
}
