package dev.taskq.worker.domain;

import dev.taskq.common.event.SessionResult;

/**
 * What the worker knows once a session's process has ended.
 *
 * @param killedFor why the worker killed the process before it wrote a result, or null if it did not
 * @param cancelReason the reason given with a cancel command or a hand-back, may be null
 * @param result the CLI's result line, or null if it wrote none
 * @param lastStderrLine the last non-blank line the process wrote to stderr, or null
 */
public record Termination(
        KillReason killedFor,
        String cancelReason,
        int timeoutSeconds,
        Integer exitCode,
        SessionResult result,
        String lastStderrLine) {}
