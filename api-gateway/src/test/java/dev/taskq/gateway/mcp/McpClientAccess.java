package dev.taskq.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** Lets tests outside this package call one MCP tool as a given key: the tool error's text, failing on success. */
public final class McpClientAccess {

    private McpClientAccess() {}

    public static String callTool(String token, String tool, Map<String, ?> arguments) {
        McpClient.ToolResult result = McpClient.connect(token).callTool(tool, arguments);
        assertThat(result.isError()).as(result.text()).isTrue();
        return result.text();
    }
}
