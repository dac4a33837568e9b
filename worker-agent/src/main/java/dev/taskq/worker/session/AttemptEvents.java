package dev.taskq.worker.session;

import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.SessionCheckpointed;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.SessionResult;
import dev.taskq.common.event.SessionStarted;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.worker.domain.SessionVerdict;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The events of one attempt, numbered 1, 2, 3 … in the order they are sent; sending under one lock keeps the
 * sequence and the partition order the same.
 */
final class AttemptEvents {

    private static final Logger LOG = Logger.getLogger(AttemptEvents.class);
    static final Duration FINISH_ACK_TIMEOUT = Duration.ofSeconds(30);

    private final EventSink sink;
    private final TaskDispatch dispatch;
    private final String workerId;
    private final Clock clock;
    private long sequence;
    private boolean ended;

    AttemptEvents(EventSink sink, TaskDispatch dispatch, String workerId, Clock clock) {
        this.sink = sink;
        this.dispatch = dispatch;
        this.workerId = workerId;
        this.clock = clock;
    }

    synchronized void started(long pid, String host) {
        sink.publish(new SessionStarted(
                dispatch.taskId(), dispatch.attempt(), workerId, ++sequence, clock.instant(), pid, dispatch.sessionId(), host));
    }

    synchronized void log(List<LogLine> lines) {
        sink.publish(new SessionLog(
                dispatch.taskId(), dispatch.attempt(), workerId, ++sequence, clock.instant(), List.copyOf(lines)));
    }

    /** Sends a periodic checkpoint of the running session; nothing once the attempt's last event is out. */
    synchronized void checkpointed(Checkpoint checkpoint) {
        if (ended) {
            return;
        }
        sink.publish(new SessionCheckpointed(
                dispatch.taskId(), dispatch.attempt(), workerId, ++sequence, clock.instant(), checkpoint));
    }

    /**
     * Sends the last event and waits until Kafka has it (at most {@code ackTimeout}), so a freed slot, or a worker
     * that exits, never hides an unsent outcome.
     *
     * @param checkpoint where the session stood, or null
     * @param question with WAITING_FOR_INPUT, what the session asked; null otherwise
     */
    synchronized void finished(SessionVerdict verdict, Integer exitCode, SessionResult result, Checkpoint checkpoint,
            String question, Duration ackTimeout) {
        ended = true;
        Future<?> sent = sink.publish(new SessionFinished(dispatch.taskId(), dispatch.attempt(), workerId, ++sequence,
                clock.instant(), verdict.outcome(), verdict.reason(), exitCode, result, checkpoint, verdict.failureCause(),
                question));
        try {
            sent.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.errorf("The outcome %s of task %s attempt %d may not have reached Kafka: %s",
                    verdict.outcome(), dispatch.taskId(), dispatch.attempt(), e.getMessage());
        }
    }
}
