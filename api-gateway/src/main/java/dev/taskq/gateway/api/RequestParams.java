package dev.taskq.gateway.api;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.SubmittingSession;
import jakarta.ws.rs.core.HttpHeaders;
import dev.taskq.gateway.persistence.ListCursor;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Parses path, query and header values into 400s that name the parameter. */
// By hand, because JAX-RS answers a path or query value it cannot convert with a bare 404.
final class RequestParams {

    private RequestParams() {}

    /** The session {@code X-Claude-Session-Id} names, or null when the request carries none; a malformed one is a 400. */
    static String submittingSession(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader(SubmittingSession.HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidRequestException(SubmittingSession.HEADER, "must be sent once, got " + values.size() + " values");
        }
        return SubmittingSession.check(SubmittingSession.HEADER, values.getFirst());
    }

    static UUID taskId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "must be a task id (a UUID such as 0b6c7f3e-2f4e-4a47-9d1c-52a6f1e0a8b9), got '"
                    + abbreviate(raw) + "'");
        }
    }

    static UUID scheduleId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "must be a schedule id (a UUID), got '" + abbreviate(raw) + "'");
        }
    }

    static UUID apiKeyId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "must be an API key id (a UUID), got '" + abbreviate(raw) + "'");
        }
    }

    static UUID workflowId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "must be a workflow id (a UUID), got '" + abbreviate(raw) + "'");
        }
    }

    /** A true/false query parameter; absent or empty means {@code defaultValue}. */
    static boolean flag(String field, String raw, boolean defaultValue) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidRequestException(field, "must be true or false, got '" + abbreviate(raw) + "'");
        };
    }

    static Set<WorkflowStatus> workflowStatuses(List<String> raw) {
        Set<WorkflowStatus> statuses = EnumSet.noneOf(WorkflowStatus.class);
        for (String value : raw) {
            for (String name : value.split(",")) {
                try {
                    statuses.add(WorkflowStatus.valueOf(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("status", "'" + abbreviate(name) + "' is not a workflow status; use one of "
                            + Arrays.stream(WorkflowStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
                }
            }
        }
        return statuses;
    }

    static Set<TaskStatus> statuses(List<String> raw) {
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        for (String value : raw) {
            // ?status=RUNNING,QUEUED reads as well as ?status=RUNNING&status=QUEUED.
            for (String name : value.split(",")) {
                try {
                    statuses.add(TaskStatus.valueOf(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("status", "'" + abbreviate(name) + "' is not a task status; use one of "
                            + Arrays.stream(TaskStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
                }
            }
        }
        return statuses;
    }

    static ListCursor listCursor(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return ListCursor.decode(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor", "is not a cursor this API returned; pass nextCursor from the previous page");
        }
    }

    /** A log cursor: a line id, 0 for the start. */
    static long logCursor(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the value.
        }
        throw new InvalidRequestException(field, "must be a log line id (a whole number, 0 for the start), got '"
                + abbreviate(raw) + "'");
    }

    static int limit(String raw, int defaultValue, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the value.
        }
        throw new InvalidRequestException("limit", "must be a whole number from 1 to " + max + ", got '" + abbreviate(raw) + "'");
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }
}
