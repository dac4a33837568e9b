package dev.taskq.gateway.domain;

import java.util.UUID;

/** No destination, subscription or delivery has this id. */
public class NotificationNotFoundException extends RuntimeException {

    public NotificationNotFoundException(String kind, UUID id) {
        super("No " + kind + " has id " + id);
    }
}
