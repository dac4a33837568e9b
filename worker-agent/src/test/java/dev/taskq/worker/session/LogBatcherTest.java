package dev.taskq.worker.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogBatcherTest {

    @Test
    void aLinesSizeAgainstTheOutputCapIsItsLengthInUtf8Bytes() {
        for (String text : List.of("", "plain ascii", "grüße", "日本語のテキスト", "emoji 😀 in the middle")) {
            assertThat(LogBatcher.utf8Length(text)).as(text).isEqualTo(text.getBytes(UTF_8).length);
        }
    }
}
