package dev.taskq.common.event;

import java.time.Instant;
import java.util.UUID;

/** An instruction broadcast to every worker; the one running the named attempt acts on it. */
public record WorkerCommand(Type type, UUID taskId, int attempt, String reason, Instant at) {

    public enum Type {
        /** Kill the session's process tree and report the attempt CANCELLED. */
        CANCEL
    }
}
