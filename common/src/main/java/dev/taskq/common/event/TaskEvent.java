package dev.taskq.common.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * What a worker reports about one attempt of a task. The sequence number grows by one per event of an
 * attempt, so (taskId, attempt, sequence) identifies an event and consumers can apply it once.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SessionStarted.class, name = "started"),
    @JsonSubTypes.Type(value = SessionLog.class, name = "log"),
    @JsonSubTypes.Type(value = SessionFinished.class, name = "finished"),
    @JsonSubTypes.Type(value = SessionCheckpointed.class, name = "checkpoint")
})
public sealed interface TaskEvent permits SessionStarted, SessionLog, SessionFinished, SessionCheckpointed {
    UUID taskId();

    int attempt();

    String workerId();

    long sequence();

    Instant at();
}
