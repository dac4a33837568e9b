package dev.taskq.cli.client;

/** The server could not be reached, or its answer could not be read. */
public final class UnreachableException extends RuntimeException {

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
