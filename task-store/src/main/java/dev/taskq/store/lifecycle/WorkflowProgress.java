package dev.taskq.store.lifecycle;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.WorkflowEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Counts a workflow's tasks down as they end and gives the workflow its outcome when the last one does. The count
 * lives on the workflow row (locked per ending), so concurrent endings cannot both believe they were the last.
 */
@ApplicationScoped
public class WorkflowProgress {

    private static final Logger LOG = Logger.getLogger(WorkflowProgress.class);

    private final EntityManager entityManager;

    public WorkflowProgress(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** One task of the workflow ended; finishes the workflow if it was the last unfinished one. */
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
            workflow.status = WorkflowStatus.outcomeOf(countedEndings(workflow));
            workflow.finishedAt = now;
            LOG.debugf("Workflow %s finished %s", workflow.id, workflow.status);
        }
    }

    /** How the workflow's tasks ended, leaving out those a manual retry superseded (their retry counts instead). */
    private List<TaskStatus> countedEndings(WorkflowEntity workflow) {
        // The ending being recorded may still be only in memory; the query must see it.
        entityManager.flush();
        return entityManager.createQuery("""
                        select t.status from TaskEntity t
                        where t.workflowId = :workflow
                          and not exists (select 1 from TaskEntity r where r.retryOf = t.id)""", TaskStatus.class)
                .setParameter("workflow", workflow.id)
                .getResultList();
    }
}
