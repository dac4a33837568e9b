package dev.taskq.worker.session;

import dev.taskq.common.event.TaskEvent;
import java.util.concurrent.Future;

/** Where a session's events go; the future completes when the event is stored. */
@FunctionalInterface
public interface EventSink {
    Future<?> publish(TaskEvent event);
}
