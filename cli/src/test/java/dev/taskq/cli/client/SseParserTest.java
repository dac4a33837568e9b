package dev.taskq.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private final List<SseEvent> events = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add);

    private void feed(String... lines) {
        for (String line : lines) {
            parser.line(line);
        }
    }

    @Test
    void aBlankLineDispatchesTheNamedEventWithItsIdAndData() {
        feed("event: status", "data: {\"status\":\"QUEUED\"}", "", "event:log", "id:7", "data:{\"id\":7}", "");

        assertThat(events).containsExactly(
                new SseEvent("status", null, "{\"status\":\"QUEUED\"}"),
                new SseEvent("log", "7", "{\"id\":7}"));
    }

    @Test
    void dataLinesJoinWithNewlinesAndCommentsAreSkipped() {
        feed(": keep-alive", "data: one", "data: two", "");

        assertThat(events).containsExactly(new SseEvent("message", null, "one\ntwo"));
    }

    @Test
    void anEventWithoutDataOrBlankLineIsNotDispatched() {
        feed("event: end", "", "event: log", "data: half");

        assertThat(events).isEmpty();
    }

    @Test
    void theLastIdCarriesOverToLaterEventsAsTheStandardSays() {
        feed("event: log", "id: 3", "data: a", "", "event: status", "data: b", "");

        assertThat(events).extracting(SseEvent::id).containsExactly("3", "3");
    }
}
