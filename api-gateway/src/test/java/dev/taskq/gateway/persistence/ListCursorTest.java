package dev.taskq.gateway.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ListCursorTest {

    @Test
    void aCursorSurvivesEncodingWithMicrosecondPrecision() {
        ListCursor cursor = new ListCursor(Instant.parse("2026-01-02T03:04:05.123456Z"), UUID.randomUUID());

        assertThat(ListCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void textThatIsNoCursorIsRejected() {
        for (String text : new String[] {"", "%%%", "bm90LWEtY3Vyc29y", ListCursor.class.getName()}) {
            assertThatThrownBy(() -> ListCursor.decode(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
