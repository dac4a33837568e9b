package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.InvalidRequestException;
import java.util.UUID;

/** Parses ids of the notification endpoints into 400s naming the parameter. */
final class NotificationParams {

    private NotificationParams() {}

    static UUID id(String field, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, "must be a UUID, got '" + (raw.length() > 60 ? raw.substring(0, 60) + "…" : raw) + "'");
        }
    }
}
