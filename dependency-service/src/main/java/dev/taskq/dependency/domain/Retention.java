package dev.taskq.dependency.domain;

import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.persistence.RetentionSweep;
import dev.taskq.dependency.persistence.RetentionSweep.LogBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps Postgres from growing for ever: the log lines of a finished task are deleted after
 * {@code retention.task-logs}, the task itself after {@code retention.tasks} (see {@link DependencyConfig.Retention}
 * for what keeps a task longer). Every batch is a transaction of its own, so a sweep never holds many rows for long.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    /** What one sweep deleted. */
    public record Sweep(int tasksWithLogsDeleted, long logLines, int tasks, int workflows) {

        boolean deletedAnything() {
            return tasksWithLogsDeleted + tasks + workflows > 0;
        }
    }

    private final RetentionSweep sweeper;
    private final DependencyConfig.Retention config;
    private final Counter logLinesDeleted;
    private final Counter tasksDeleted;
    private final Counter workflowsDeleted;

    public Retention(RetentionSweep sweeper, DependencyConfig config, MeterRegistry registry) {
        this.sweeper = sweeper;
        this.config = config.retention();
        this.logLinesDeleted = deletedCounter(registry, "task_log_lines");
        this.tasksDeleted = deletedCounter(registry, "tasks");
        this.workflowsDeleted = deletedCounter(registry, "workflows");
    }

    private static Counter deletedCounter(MeterRegistry registry, String what) {
        return Counter.builder("taskq.retention.deleted").tag("what", what)
                .description("Rows deleted by retention, by what they were").register(registry);
    }

    @Scheduled(every = "${taskq.dependency.retention.interval}", delayed = "${taskq.dependency.retention.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Sweep sweep = sweep(Instant.now());
            if (sweep.deletedAnything()) {
                LOG.infof("Retention deleted the logs of %d tasks (%d lines), %d tasks and %d workflows",
                        sweep.tasksWithLogsDeleted(), sweep.logLines(), sweep.tasks(), sweep.workflows());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Retention sweep failed, retrying at its next run: %s", e.getMessage());
        }
    }

    /** Deletes what finished longer ago than the retention allows, as of {@code now}. */
    public Sweep sweep(Instant now) {
        int batchSize = config.batchSize();
        int tasksWithLogsDeleted = 0;
        long logLines = 0;
        if (isLimited(config.taskLogs())) {
            Instant cutOff = now.minus(config.taskLogs());
            LogBatch batch;
            do {
                batch = QuarkusTransaction.requiringNew().call(() -> sweeper.deleteLogs(cutOff, now, batchSize));
                tasksWithLogsDeleted += batch.tasks();
                logLines += batch.lines();
            } while (batch.tasks() == batchSize);
        }
        int tasks = 0;
        int workflows = 0;
        if (isLimited(config.tasks())) {
            Instant cutOff = now.minus(config.tasks());
            int deleted;
            // Until a batch finds nothing: deleting the last task of a chain is what frees the one before it.
            do {
                deleted = QuarkusTransaction.requiringNew().call(() -> sweeper.deleteTasks(cutOff, batchSize));
                tasks += deleted;
            } while (deleted > 0);
            do {
                deleted = QuarkusTransaction.requiringNew().call(() -> sweeper.deleteWorkflows(cutOff, batchSize));
                workflows += deleted;
            } while (deleted == batchSize);
        }
        logLinesDeleted.increment(logLines);
        tasksDeleted.increment(tasks);
        workflowsDeleted.increment(workflows);
        return new Sweep(tasksWithLogsDeleted, logLines, tasks, workflows);
    }

    /** Whether the period limits anything: 0 keeps for ever. */
    private static boolean isLimited(Duration period) {
        return !period.isZero() && !period.isNegative();
    }
}
