package dev.taskq.gateway.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.gateway.api.ProblemMappers;
import dev.taskq.gateway.api.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers 400 problem+json, where the MCP extension would answer 500, to a POST whose body is no JSON-RPC message at all:
 * JSON {@code null}, a number, a string, an empty batch {@code []} or a batch of non-objects. Anything else goes on to
 * the extension untouched (unparseable text too: it answers that with a JSON-RPC parse error).
 */
@Singleton
class MalformedMessageGuard {

    private final ObjectMapper json;
    private final String mcpRoot;
    private final long maxBodyBytes;

    MalformedMessageGuard(ObjectMapper json,
                          @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpRoot,
                          @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize) {
        this.json = json;
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.mcpRoot = mcpRoot.endsWith("/") ? mcpRoot.substring(0, mcpRoot.length() - 1) : mcpRoot;
    }

    // Ahead of the extension's route. The body is read here under the same limit Quarkus applies; Vert.x's later body
    // handler sees it was read and passes.
    private static final int ORDER = -100;

    void register(@Observes Router router) {
        router.post(mcpRoot).order(ORDER).handler(BodyHandler.create().setBodyLimit(maxBodyBytes)).handler(this::check);
    }

    private void check(RoutingContext context) {
        Buffer body = context.body().buffer();
        if (body == null || isJsonRpcShaped(body)) {
            context.next();
            return;
        }
        ProblemMappers.end(context, json, ProblemType.BAD_REQUEST,
                "The body is not a JSON-RPC message: send a JSON object (or a non-empty array of them) with jsonrpc \"2.0\".");
    }

    static boolean isJsonRpcShaped(Buffer body) {
        if (body.length() == 0) {
            return false;
        }
        try {
            Object message = Json.decodeValue(body);
            if (message instanceof JsonObject) {
                return true;
            }
            return message instanceof JsonArray batch && !batch.isEmpty()
                    && batch.stream().allMatch(JsonObject.class::isInstance);
        } catch (RuntimeException notJson) {
            // Unparseable JSON is the extension's to answer (it does, with a JSON-RPC parse error); here it counts as shaped.
            return true;
        }
    }
}
