package dev.taskq.worker.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The worker's own MCP server as a session's {@code --mcp-config} names it: server {@code taskq} over HTTP, so the
 * model sees {@code mcp__taskq__AskHuman}. The bearer token is not in the JSON but in the session's environment
 * ({@link #TOKEN_ENV}), which the CLI expands in headers: an argv is readable by every user of the host, an
 * environment only by the session's own.
 *
 * @param url the endpoint, on loopback
 */
public record SessionMcpConfig(String url) {

    /** The server name sessions know the worker's tools by. */
    public static final String SERVER_NAME = "taskq";
    /** The tool a session asks a human with, as the CLI names it in allow lists and tool calls. */
    public static final String ASK_HUMAN_TOOL = "mcp__" + SERVER_NAME + "__AskHuman";
    /** The session's environment variable holding the attempt's bearer token. */
    public static final String TOKEN_ENV = "TASKQ_SESSION_MCP_TOKEN";

    public SessionMcpConfig {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the session MCP url must be set");
        }
    }

    /** The value of {@code --mcp-config}: one JSON object, the header naming the token variable. */
    public String json() {
        ObjectNode server = JsonNodeFactory.instance.objectNode()
                .put("type", "http")
                .put("url", url);
        server.putObject("headers").put("Authorization", "Bearer ${" + TOKEN_ENV + "}");
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.putObject("mcpServers").set(SERVER_NAME, server);
        return config.toString();
    }
}
