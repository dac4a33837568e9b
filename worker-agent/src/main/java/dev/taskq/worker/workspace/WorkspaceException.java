package dev.taskq.worker.workspace;

/** The attempt cannot get its workspace on this worker; the message says why (credentials redacted). */
public final class WorkspaceException extends Exception {

    /** Why, as far as what to do next is concerned. */
    public enum Reason {
        /** The task names a directory or repository the worker refuses: retrying cannot help. */
        REJECTED,
        /** The named working directory does not exist here (and may not be created). */
        MISSING,
        /** The ref names no branch, tag or commit of the repository, even after a fetch. */
        REF_NOT_FOUND,
        /** git failed or timed out (clone, fetch, checkout): possibly transient. */
        GIT_FAILED,
        /** Another attempt on this worker is using the same workspace right now. */
        IN_USE,
        /** A resume's workspace is not on this worker (never was, or was removed after its retention). */
        NOT_ON_THIS_WORKER,
        /** The file system refused (permissions, disk full). */
        IO
    }

    private final Reason reason;

    public WorkspaceException(Reason reason, String message) {
        super(Redaction.redact(message), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
