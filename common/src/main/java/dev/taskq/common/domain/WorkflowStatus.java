package dev.taskq.common.domain;

import java.util.Collection;

/**
 * Where a workflow (a DAG submitted in one request) stands: RUNNING while any of its tasks has not ended, then
 * one outcome for the whole graph. A task superseded by a manual retry no longer counts; its retry does.
 */
public enum WorkflowStatus {
    RUNNING,
    /** Every task succeeded (or ran anyway after a failure upstream that a later retry made good). */
    SUCCEEDED,
    /** At least one task failed, timed out or could not run because of a failure upstream. */
    FAILED,
    /** No task failed, but at least one was cancelled (and what waited on it was cancelled or skipped). */
    CANCELLED;

    /** The outcome of a workflow whose counted tasks all ended in {@code endings}. */
    public static WorkflowStatus outcomeOf(Collection<TaskStatus> endings) {
        boolean cancelled = false;
        for (TaskStatus ending : endings) {
            switch (ending) {
                case FAILED, TIMED_OUT, UPSTREAM_FAILED -> {
                    return FAILED;
                }
                case CANCELLED -> cancelled = true;
                default -> {}
            }
        }
        return cancelled ? CANCELLED : SUCCEEDED;
    }
}
