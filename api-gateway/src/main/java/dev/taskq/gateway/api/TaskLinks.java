package dev.taskq.gateway.api;

import java.util.UUID;

/** Where to go from a task: itself, its log (paged and live) and its actions. */
public record TaskLinks(String self, String logs, String logStream, String cancel, String retry, String resume) {

    static TaskLinks of(UUID id) {
        String self = TaskResource.PATH + "/" + id;
        return new TaskLinks(self, self + "/logs", self + "/logs/stream", self + "/cancel", self + "/retry", self + "/resume");
    }
}
