package dev.taskq.common.event;

import java.util.List;

/**
 * Where a session left its working directory, read by the worker when the session ends: what a continuation
 * ({@code continueFrom}, resume without the transcript) needs to pick the work up. Fields are null when unknown
 * (the directory is not a git checkout, or git is missing).
 *
 * @param dirtyFiles paths {@code git status --porcelain} lists, at most 50
 * @param dirtyFilesTruncated whether more files were dirty than listed
 */
public record Checkpoint(
        String workingDir, String gitBranch, String gitCommit, List<String> dirtyFiles, boolean dirtyFilesTruncated) {}
