package dev.taskq.gateway.domain;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.gateway.persistence.TaskDetails;
import dev.taskq.gateway.persistence.TaskQueries;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.lifecycle.TaskCreator;
import dev.taskq.store.lifecycle.TaskStateWriter;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.persistence.TaskEntity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/** The gateway's writes: creating a task with its dependency edges, and cancelling one. */
@ApplicationScoped
public class TaskCommands {

    private final TaskCreator creator;
    private final TaskStateWriter stateWriter;
    private final TaskQueries queries;
    private final MeterRegistry meters;

    public TaskCommands(TaskCreator creator, TaskStateWriter stateWriter, TaskQueries queries, MeterRegistry meters) {
        this.creator = creator;
        this.stateWriter = stateWriter;
        this.queries = queries;
        this.meters = meters;
    }

    /** Creates the task in one transaction (see {@link TaskCreator#create}); returns it as committed. */
    @Transactional
    public TaskDetails submit(NewTask newTask) {
        return submit(newTask, List.of());
    }

    /** As {@link #submit(NewTask)}, storing the task's notify entries (already checked) in the same transaction. */
    @Transactional
    public TaskDetails submit(NewTask newTask, List<TaskNotificationEntity> notify) {
        TaskEntity task = creator.create(newTask, notify);
        meters.counter("taskq.tasks.submitted",
                "priority.class", PriorityClass.of(newTask.priority()).name(), "pool", task.pool).increment();
        return queries.detailsOf(task);
    }

    /**
     * Cancels a task that has not finished; a worker running it is told to kill its session through the
     * outbox. Returns the task as committed; throws TaskNotFoundException or TaskAlreadyFinishedException.
     */
    @Transactional
    public TaskDetails cancel(UUID taskId, String reason) {
        TaskEntity task = stateWriter.cancel(taskId, reason);
        meters.counter("taskq.tasks.cancelled").increment();
        return queries.detailsOf(task);
    }
}
