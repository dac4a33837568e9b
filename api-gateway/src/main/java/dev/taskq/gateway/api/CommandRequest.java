package dev.taskq.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.gateway.domain.TaskDraft;
import java.util.ArrayList;
import java.util.List;

/** Reads a request's {@code command}, which is an argv (a JSON array of strings) or a shell string. */
final class CommandRequest {

    private CommandRequest() {}

    /** The command as the rules check it; null when the request has none. */
    static TaskDraft.Command toDraft(JsonNode command) {
        if (command == null || command.isNull() || command.isMissingNode()) {
            return null;
        }
        if (command.isTextual()) {
            return new TaskDraft.Command(null, command.textValue());
        }
        if (command.isArray()) {
            List<String> argv = new ArrayList<>(command.size());
            // An element that is not a string stays null, for the rules to name by its index.
            command.forEach(element -> argv.add(element.isTextual() ? element.textValue() : null));
            return new TaskDraft.Command(argv, null);
        }
        return new TaskDraft.Command(null, null);
    }
}
