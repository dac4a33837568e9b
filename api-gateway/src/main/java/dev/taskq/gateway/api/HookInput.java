package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.taskq.gateway.domain.SubmittingSession;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON Claude Code sends a hook on stdin (a command hook pipes it here with curl): the fields taskq reads. Claude Code
 * adds fields from version to version, so the rest are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "HookInput", description = "Claude Code's hook input, as the CLI writes it to a hook's stdin; other fields are ignored.")
public record HookInput(
        @JsonProperty("session_id")
        @Schema(description = "The Claude Code session the hook runs in: the tasks it submitted are summarised.", required = true,
                maxLength = SubmittingSession.MAX_LENGTH, pattern = SubmittingSession.PATTERN)
        String sessionId,
        @JsonProperty("hook_event_name")
        @Schema(description = "SessionStart, Stop, …; the endpoint decides what is answered.")
        String hookEventName,
        @Schema(description = "SessionStart: startup, resume, clear or compact.")
        String source,
        @JsonProperty("stop_hook_active")
        @Schema(description = "Stop: true when the session already continues because a Stop hook blocked; taskq then never blocks again.")
        Boolean stopHookActive,
        @Schema(description = "The session's working directory.")
        String cwd) {}
