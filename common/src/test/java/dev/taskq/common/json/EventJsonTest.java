package dev.taskq.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.SessionCheckpointed;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.SessionResult;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private final UUID taskId = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-11-21T10:15:30.123Z");

    @Test
    void eachTaskEventKindRoundTripsThroughItsTypeTag() {
        List<TaskEvent> events = List.of(
                new SessionStarted(taskId, 1, "w-1", 1, now, 4242, UUID.randomUUID(), "host-a"),
                new SessionLog(taskId, 1, "w-1", 2, now, List.of(new LogLine(1, now, LogKind.TOOL_USE, "Bash: echo hello"))),
                new SessionFinished(taskId, 1, "w-1", 3, now, SessionOutcome.SUCCEEDED, null, 0,
                        new SessionResult("success", false, 2, new BigDecimal("0.0123"), null, null, "s-1", "hello", null, 900L),
                        Checkpoint.ofGit("/w", "main", "abc123", List.of("src/A.java"), false), null, null),
                new SessionFinished(taskId, 2, "w-1", 4, now, SessionOutcome.WAITING_FOR_INPUT, null, 0, null, null, null,
                        "Which database should the migration target?"),
                new SessionCheckpointed(taskId, 1, "w-1", 5, now, Checkpoint.ofGit("/w", "main", "abc123", List.of(), false)
                        .withSession("s-1", List.of("ran: pytest", "edited: src/x.java"), new BigDecimal("0.42"), now)));

        for (TaskEvent event : events) {
            String json = EventJson.toJson(event);
            assertThat(EventJson.fromJson(json, TaskEvent.class)).isEqualTo(event);
        }
    }

    @Test
    void timestampsAreWrittenAsIsoText() {
        String json = EventJson.toJson(new SessionStarted(taskId, 1, "w-1", 1, now, 1, null, "h"));
        assertThat(json).contains("\"type\":\"started\"").contains("\"at\":\"2026-11-21T10:15:30.123Z\"");
    }

    @Test
    void aCheckpointStoredBeforeTheSessionFieldsExistedReadsThemAsEmpty() {
        String older = "{\"workingDir\":\"/w\",\"gitBranch\":\"main\",\"gitCommit\":\"abc\",\"dirtyFiles\":[\"a\"],"
                + "\"dirtyFilesTruncated\":false}";
        Checkpoint read = EventJson.fromJson(older, Checkpoint.class);
        assertThat(read.gitBranch()).isEqualTo("main");
        assertThat(read.lastLines()).isEmpty();
        assertThat(read.sessionId()).isNull();
    }

    @Test
    void fieldsAddedByANewerProducerAreIgnored() {
        String json = EventJson.toJson(new SessionStarted(taskId, 2, "w-1", 1, now, 1, null, "h"))
                .replace("{", "{\"addedLater\":true,");
        assertThat(EventJson.fromJson(json, TaskEvent.class)).isInstanceOf(SessionStarted.class);
    }
}
