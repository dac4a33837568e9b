package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.store.persistence.Outbox;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.WorkflowEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Counts a workflow's tasks down as they end and gives the workflow its outcome when the last one does, announcing it
 * ({@link WorkflowFinishedEvent} through the outbox, in the same transaction). The count lives on the workflow row
 * (locked per ending), so concurrent endings cannot both believe they were the last, and the workflow is announced
 * once per finish. Every path that ends a task (worker events, leases, cancels, a dependency's failure, a task created
 * already decided) goes through {@link TaskStateWriter}, which calls this.
 */
@ApplicationScoped
public class WorkflowProgress {

    private static final Logger LOG = Logger.getLogger(WorkflowProgress.class);

    private final EntityManager entityManager;
    private final Outbox outbox;
    private final TopicNames topics;

    public WorkflowProgress(EntityManager entityManager, Outbox outbox, TopicNames topics) {
        this.entityManager = entityManager;
        this.outbox = outbox;
        this.topics = topics;
    }

    /** One task of the workflow ended; finishes (and announces) the workflow if it was the last unfinished one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void taskEnded(TaskEntity task) {
        WorkflowEntity workflow = entityManager.find(WorkflowEntity.class, task.workflowId, LockModeType.PESSIMISTIC_WRITE);
        if (workflow == null) {
            LOG.warnf("Task %s names workflow %s, which does not exist", task.id, task.workflowId);
            return;
        }
        Instant now = Instant.now();
        workflow.unfinishedTasks = Math.max(0, workflow.unfinishedTasks - 1);
        workflow.updatedAt = now;
        if (workflow.unfinishedTasks == 0) {
            List<Ending> endings = endings(workflow);
            List<Ending> counted = endings.stream().filter(Ending::counted).toList();
            workflow.status = WorkflowStatus.outcomeOf(counted.stream().map(Ending::status).toList());
            workflow.finishedAt = now;
            outbox.append(topics.workflowLifecycle(), workflow.id.toString(), finished(workflow, endings, counted));
            LOG.debugf("Workflow %s finished %s", workflow.id, workflow.status);
        }
    }

    /** How one task of the workflow ended; {@code counted} is false for a task a manual retry superseded. */
    private record Ending(UUID id, String ref, TaskStatus status, String reason, BigDecimal costUsd, boolean counted) {

        String name() {
            return ref == null ? id.toString() : ref + " (" + id + ")";
        }
    }

    private List<Ending> endings(WorkflowEntity workflow) {
        // The ending being recorded may still be only in memory; the query must see it.
        entityManager.flush();
        List<Object[]> rows = entityManager.createQuery("""
                        select t.id, t.workflowRef, t.status, t.statusReason, t.totalCostUsd, t.retryOf from TaskEntity t
                        where t.workflowId = :workflow order by t.workflowPosition, t.id""", Object[].class)
                .setParameter("workflow", workflow.id)
                .getResultList();
        Set<UUID> superseded = new HashSet<>();
        rows.stream().map(row -> (UUID) row[5]).filter(java.util.Objects::nonNull).forEach(superseded::add);
        return rows.stream().map(row -> new Ending((UUID) row[0], (String) row[1], (TaskStatus) row[2], (String) row[3],
                (BigDecimal) row[4], !superseded.contains((UUID) row[0]))).toList();
    }

    /**
     * The announcement. Its id is derived from the workflow and how many tasks it had when it finished: a Kafka
     * redelivery carries the same id, and a workflow reopened by a manual retry (which adds tasks) that finishes
     * again is a new announcement.
     */
    private static WorkflowFinishedEvent finished(WorkflowEntity workflow, List<Ending> all, List<Ending> counted) {
        int succeeded = 0;
        int failed = 0;
        int cancelled = 0;
        int skipped = 0;
        for (Ending ending : counted) {
            switch (ending.status()) {
                case SUCCEEDED -> succeeded++;
                case FAILED, TIMED_OUT, UPSTREAM_FAILED -> failed++;
                case CANCELLED -> cancelled++;
                case SKIPPED -> skipped++;
                default -> {}
            }
        }
        BigDecimal cost = all.stream().map(Ending::costUsd).filter(java.util.Objects::nonNull)
                .reduce(BigDecimal::add).orElse(null);
        UUID eventId = UUID.nameUUIDFromBytes(("workflow-finished:" + workflow.id + ":" + all.size()).getBytes(StandardCharsets.UTF_8));
        return new WorkflowFinishedEvent(eventId, workflow.id, workflow.name, workflow.status, counted.size(), succeeded, failed,
                cancelled, skipped, cost, reason(workflow.status, counted), workflow.createdAt, workflow.finishedAt);
    }

    /** Names the first task (in workflow order) that decided a failed or cancelled outcome; a task's own failure first. */
    private static String reason(WorkflowStatus status, List<Ending> counted) {
        if (status == WorkflowStatus.SUCCEEDED) {
            return null;
        }
        Set<TaskStatus> deciding = status == WorkflowStatus.FAILED
                ? Set.of(TaskStatus.FAILED, TaskStatus.TIMED_OUT)
                : Set.of(TaskStatus.CANCELLED);
        Ending first = counted.stream().filter(ending -> deciding.contains(ending.status())).findFirst()
                .or(() -> counted.stream().filter(ending -> ending.status() == TaskStatus.UPSTREAM_FAILED).findFirst())
                .orElse(null);
        if (first == null) {
            return null;
        }
        return "task " + first.name() + " ended " + first.status() + (first.reason() == null ? "" : ": " + first.reason());
    }
}
