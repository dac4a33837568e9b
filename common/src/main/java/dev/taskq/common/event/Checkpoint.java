package dev.taskq.common.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Where a session stood: read by the worker periodically while it runs and when it ends. It is what a continuation
 * ({@code continueFrom}, a resume without the transcript, a hand-back on drain) needs to pick the work up. Fields are
 * null (lists empty) when unknown: the directory is not a git checkout, git is missing, the session has not said.
 *
 * @param dirtyFiles paths {@code git status --porcelain} lists, at most 50
 * @param dirtyFilesTruncated whether more files were dirty than listed
 * @param sessionId the Claude session id the CLI reported, so the session can be resumed
 * @param lastLines the session's last output lines (at most 50), oldest first, as stored
 * @param costUsd what the session had cost when the checkpoint was taken, as far as the CLI had reported it
 * @param takenAt when the worker read the checkpoint
 */
public record Checkpoint(
        String workingDir,
        String gitBranch,
        String gitCommit,
        List<String> dirtyFiles,
        boolean dirtyFilesTruncated,
        String sessionId,
        List<String> lastLines,
        BigDecimal costUsd,
        Instant takenAt) {

    /** The most output lines a checkpoint carries. */
    public static final int MAX_LAST_LINES = 50;

    public Checkpoint {
        // A checkpoint stored before these fields existed reads them as null.
        dirtyFiles = dirtyFiles == null ? List.of() : List.copyOf(dirtyFiles);
        lastLines = lastLines == null ? List.of() : List.copyOf(lastLines);
    }

    /** The git state of a working directory alone. */
    public static Checkpoint ofGit(
            String workingDir, String gitBranch, String gitCommit, List<String> dirtyFiles, boolean dirtyFilesTruncated) {
        return new Checkpoint(workingDir, gitBranch, gitCommit, dirtyFiles, dirtyFilesTruncated, null, List.of(), null, null);
    }

    /** This checkpoint with what the session itself reported: its id, its last lines, its cost so far, and when. */
    public Checkpoint withSession(String newSessionId, List<String> newLastLines, BigDecimal newCostUsd, Instant newTakenAt) {
        return new Checkpoint(workingDir, gitBranch, gitCommit, dirtyFiles, dirtyFilesTruncated,
                newSessionId, newLastLines, newCostUsd, newTakenAt);
    }
}
