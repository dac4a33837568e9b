package dev.taskq.gateway.domain;

/** The caller is authenticated but its role, pools or ownership do not allow the request: a 403. */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
