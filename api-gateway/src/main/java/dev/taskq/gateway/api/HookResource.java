package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.InvalidRequestException;
import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import dev.taskq.gateway.domain.SessionDigests;
import dev.taskq.gateway.domain.SubmittingSession;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Claude Code hooks of the main-session kit ({@code kit/}): each takes the hook input Claude Code gives a hook and answers
 * in the hook output it reads, telling a session what became of the tasks it delegated. Read-only, so a viewer key may
 * call them although they are POSTs.
 */
@RequiresRole(Role.VIEWER)
@Path(HookResource.PATH)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@Tag(name = "Session hooks")
public class HookResource {

    static final String PATH = "/api/v1/hooks";

    /** When a Stop hook keeps the session going. */
    enum Block {
        /** Never: the summary is shown to the user and the session stops. */
        NEVER,
        /** While a task the session delegated waits for an answer: the session is told to answer it. */
        WAITING
    }

    private final SessionDigests digests;

    public HookResource(SessionDigests digests) {
        this.digests = digests;
    }

    @POST
    @Path("session-start")
    @Operation(summary = "SessionStart hook", description = """
            For a SessionStart command hook: adds to the session's context the tasks this session delegated (a resumed \
            or cleared session has some) and the tasks other Claude Code sessions delegated that ended or began waiting \
            for an answer lately (taskq.api.hooks.recent-window): id, state, age, prompt head, question. {} when there is \
            nothing to tell.""")
    @APIResponse(responseCode = "200", description = "Hook output: hookSpecificOutput.additionalContext, or {}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HookOutput.class)))
    @APIResponse(responseCode = "400", description = "No or an invalid session_id, or malformed JSON",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public HookOutput sessionStart(HookInput input) {
        String summary = digests.sessionStart(session(input), Instant.now());
        return summary == null ? HookOutput.NOTHING : HookOutput.context("SessionStart", summary);
    }

    @POST
    @Path("stop")
    @Operation(summary = "Stop hook", description = """
            For a Stop hook: lists the tasks this session delegated that have not finished, those waiting for an answer \
            first. By default a systemMessage for the user, and the session stops. With block=waiting, while one of them \
            waits for an answer the session is kept going (decision: block) and told to answer it, unless it already \
            continues because of a Stop hook (stop_hook_active). {} when every task it delegated has finished.""")
    @APIResponse(responseCode = "200", description = "Hook output: systemMessage, decision and reason, or {}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HookOutput.class)))
    @APIResponse(responseCode = "400", description = "No or an invalid session_id, an unknown block value, or malformed JSON",
            content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public HookOutput stop(
            @QueryParam("block") @Parameter(description = "never (default): only tell; waiting: keep the session going while "
                    + "a task it delegated waits for an answer",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"never", "waiting"}, defaultValue = "never"))
            String block,
            HookInput input) {
        Block mode = block(block);
        String session = session(input);
        SessionDigests.Unfinished unfinished = digests.stop(session, Instant.now());
        if (unfinished == null) {
            return HookOutput.NOTHING;
        }
        boolean alreadyContinuing = Boolean.TRUE.equals(input.stopHookActive());
        if (mode == Block.WAITING && unfinished.waitingForAnswer() > 0 && !alreadyContinuing) {
            return HookOutput.block(unfinished.text() + "\nBefore you stop: answer the waiting tasks' questions with "
                    + "AnswerQuestion (ask the user when you cannot), or tell the user they wait.");
        }
        return HookOutput.message(unfinished.text());
    }

    private static String session(HookInput input) {
        if (input == null) {
            throw new InvalidRequestException("", "is required: send the hook input Claude Code gives the hook, as a JSON object");
        }
        String session = SubmittingSession.check("session_id", input.sessionId());
        if (session == null) {
            throw new InvalidRequestException("session_id", "is required: the Claude Code session the hook runs in");
        }
        return session;
    }

    private static Block block(String raw) {
        if (raw == null || raw.isEmpty() || raw.equals("never")) {
            return Block.NEVER;
        }
        if (raw.equals("waiting")) {
            return Block.WAITING;
        }
        throw new InvalidRequestException("block", "must be never or waiting, got '" + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + "'");
    }
}
