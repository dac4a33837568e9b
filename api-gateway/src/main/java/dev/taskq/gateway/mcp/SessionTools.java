package dev.taskq.gateway.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.gateway.api.HookOutput;
import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.SessionDigests;
import dev.taskq.gateway.domain.SubmittingSession;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MCP tool the main-session kit's UserPromptSubmit hook calls (an {@code mcp_tool} hook, on the session's own
 * connection): it binds the connection to the Claude Code session, so what the session delegates is recorded as its,
 * and answers in hook output JSON with the delegated tasks that ended or began waiting since the previous prompt.
 */
@Singleton
@ToolErrors
public class SessionTools {

    // Echoed into the hook output, where Claude Code compares it with the event it ran the hook for.
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z]{1,40}");

    private final SessionBindings bindings;
    private final SessionDigests digests;
    private final McpCaller caller;
    private final ObjectMapper json;

    public SessionTools(SessionBindings bindings, SessionDigests digests, McpCaller caller, ObjectMapper json) {
        this.bindings = bindings;
        this.digests = digests;
        this.caller = caller;
        this.json = json;
    }

    @Tool(name = "SessionCheckIn", description = """
            For Claude Code's hooks, not for a conversation: taskq's main-session kit calls it from a UserPromptSubmit \
            hook with the session id. It tells taskq which Claude Code session this connection serves (tasks delegated \
            through it are then recorded as that session's) and answers in hook output JSON with the tasks this session \
            delegated that ended or began waiting for an answer since the previous prompt.""",
            annotations = @Tool.Annotations(title = "Check a session in (hook)", readOnlyHint = false, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RunOnVirtualThread
    public String sessionCheckIn(
            @ToolArg(description = "The Claude Code session id (the hook's ${session_id}).") String sessionId,
            @ToolArg(description = "The hook event the call answers (the hook's ${hook_event_name}); UserPromptSubmit when absent.",
                    required = false)
            String hookEventName) throws JsonProcessingException {
        String session = SubmittingSession.check("sessionId", sessionId);
        if (session == null) {
            throw new InvalidRequestException("sessionId", "is required: the Claude Code session id (${session_id} in a hook)");
        }
        Instant now = Instant.now();
        Optional<SessionBindings.Binding> before = bindings.checkIn(caller.requireConnection(), session, now);
        // The first check-in of a connection has nothing to compare with: SessionStart told the session what there was.
        String changed = before.filter(binding -> binding.session().equals(session))
                .map(binding -> digests.changedSince(session, binding.lastCheckIn(), now))
                .orElse(null);
        String event = hookEventName == null || hookEventName.isBlank() ? "UserPromptSubmit" : hookEventName;
        if (!EVENT_NAME.matcher(event).matches()) {
            throw new InvalidRequestException("hookEventName", "must be a hook event name such as UserPromptSubmit (letters only)");
        }
        return json.writeValueAsString(changed == null ? HookOutput.NOTHING : HookOutput.context(event, changed));
    }
}
