package dev.taskq.scheduler.domain;

import dev.taskq.common.event.ScheduleRunFailedEvent;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.store.persistence.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Announces a schedule run that did not end well ({@link ScheduleRunFailedEvent} on the schedule-runs topic, keyed by
 * schedule id) through the outbox, in the transaction that decided it: the notice is published if and only if that
 * decision commits.
 */
@ApplicationScoped
public class RunNotices {

    private final Outbox outbox;
    private final TopicNames topics;

    public RunNotices(Outbox outbox, TopicNames topics) {
        this.outbox = outbox;
        this.topics = topics;
    }

    /** One notice for one run; its event id is derived from the run and the kind, so a redelivery carries the same id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(long runId, UUID scheduleId, String scheduleName, Instant fireTime, ScheduleRunFailedEvent.Kind kind,
                         UUID taskId, UUID workflowId, String reason, Instant at) {
        outbox.append(topics.scheduleRuns(), scheduleId.toString(), new ScheduleRunFailedEvent(eventId(runId, kind), scheduleId,
                scheduleName, fireTime, kind, taskId, workflowId, reason, at));
    }

    static UUID eventId(long runId, ScheduleRunFailedEvent.Kind kind) {
        return UUID.nameUUIDFromBytes(("schedule-run/" + runId + "/" + kind.name()).getBytes(StandardCharsets.UTF_8));
    }
}
