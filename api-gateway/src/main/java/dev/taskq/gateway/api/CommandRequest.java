package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.TaskDraft;
import java.util.ArrayList;
import java.util.List;

/** Reads a request's {@code command}, which is an argv (a JSON array of strings) or a shell string, as Jackson bound it. */
final class CommandRequest {

    private CommandRequest() {}

    /** The command as the rules check it; null when the request has none. */
    static TaskDraft.Command toDraft(Object command) {
        if (command == null) {
            return null;
        }
        if (command instanceof String line) {
            return new TaskDraft.Command(null, line);
        }
        if (command instanceof List<?> elements) {
            List<String> argv = new ArrayList<>(elements.size());
            // An element that is not a string stays null, for the rules to name by its index.
            elements.forEach(element -> argv.add(element instanceof String text ? text : null));
            return new TaskDraft.Command(argv, null);
        }
        return new TaskDraft.Command(null, null);
    }
}
