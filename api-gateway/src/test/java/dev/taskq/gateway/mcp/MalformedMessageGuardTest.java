package dev.taskq.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MalformedMessageGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}", "[{\"jsonrpc\": \"2.0\"}]", "{", "{]"})
    void aJsonObjectABatchOfObjectsOrUnparseableTextIsLeftToTheMcpExtension(String body) {
        assertThat(MalformedMessageGuard.isJsonRpcShaped(Buffer.buffer(body))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "7", "\"text\"", "[1, 2]", "[{}, 3]", "true"})
    void aBodyThatIsNoJsonRpcMessageAtAllIsAnsweredAsABadRequest(String body) {
        assertThat(MalformedMessageGuard.isJsonRpcShaped(Buffer.buffer(body))).isFalse();
    }
}
