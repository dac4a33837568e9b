package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A hook's answer in the JSON Claude Code reads from a hook's stdout: absent fields are left out, so an answer with
 * nothing to say is {@code {}} and changes nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "HookOutput", description = "Claude Code's hook output JSON; {} when there is nothing to tell.")
public record HookOutput(
        @Schema(description = "Shown to the user (Stop, not blocking).")
        String systemMessage,
        @Schema(description = "\"block\" keeps the session from stopping (Stop with block=waiting); reason tells it why.",
                enumeration = {"block"})
        String decision,
        String reason,
        @Schema(description = "SessionStart: additionalContext goes into the session's context.")
        Specific hookSpecificOutput) {

    public static final HookOutput NOTHING = new HookOutput(null, null, null, null);

    /** The event-specific part. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "HookSpecificOutput")
    public record Specific(String hookEventName, String additionalContext) {}

    public static HookOutput context(String hookEventName, String additionalContext) {
        return new HookOutput(null, null, null, new Specific(hookEventName, additionalContext));
    }

    public static HookOutput message(String systemMessage) {
        return new HookOutput(systemMessage, null, null, null);
    }

    public static HookOutput block(String reason) {
        return new HookOutput(null, "block", reason, null);
    }
}
