package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.dependency.domain.Retention.Sweep;
import dev.taskq.dependency.testing.TaskRows;
import dev.taskq.dependency.testing.TaskRows.NewTask;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention with the defaults: log lines go 30 days after their task finished, the task 90 days after. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
class RetentionIT {

    @Inject
    Retention retention;

    @Test
    void aTasksLogLinesGoThirtyDaysAfterItFinishedAndItsRowStays() {
        Instant now = Instant.now();
        UUID old = finishedTask(now.minus(days(40)));
        UUID recent = finishedTask(now.minus(days(10)));
        UUID unfinished = insertedRunning();
        TaskRows.insertLogLines(old, 1, 5);
        TaskRows.insertLogLines(recent, 1, 3);
        TaskRows.insertLogLines(unfinished, 1, 2);

        Sweep sweep = retention.sweep(now);

        assertThat(logLines(old)).isZero();
        assertThat(TestDatabase.count("select count(*) from tasks where id = ? and logs_deleted_at = ?", old, Timestamp.from(now)))
                .isEqualTo(1);
        assertThat(logLines(recent)).isEqualTo(3);
        assertThat(logLines(unfinished)).isEqualTo(2);
        assertThat(TestDatabase.count("select count(*) from tasks where id = any(?) and logs_deleted_at is null",
                (Object) new UUID[] {recent, unfinished})).isEqualTo(2);
        assertThat(sweep.tasksWithLogsDeleted()).isPositive();
        assertThat(sweep.logLines()).isGreaterThanOrEqualTo(5);
        // A task whose lines went is not read again by the next sweep.
        assertThat(retention.sweep(now).tasksWithLogsDeleted()).isZero();
    }

    @Test
    void aTaskGoesNinetyDaysAfterItFinishedUnlessATaskStillWaitsOnItOrASchedulePointsAtIt() throws SQLException {
        Instant longAgo = Instant.now().minus(days(100));
        UUID waitedOn = finishedTask(longAgo);
        NewTask waiting = NewTask.waitingOn(waitedOn);
        TaskRows.insert(waiting);
        // A chain that ended long ago goes whole, from its last task back.
        UUID first = finishedTask(longAgo);
        NewTask second = NewTask.waitingOn(first);
        TaskRows.insert(second);
        TaskRows.finish(second.id(), TaskStatus.SUCCEEDED, longAgo);
        NewTask third = NewTask.waitingOn(second.id());
        TaskRows.insert(third);
        TaskRows.finish(third.id(), TaskStatus.SUCCEEDED, longAgo);
        TaskRows.insertAttempt(first, 1, TaskStatus.SUCCEEDED, "w-retention");
        TaskRows.insertLogLines(first, 1, 4);
        // A recent retry keeps its row; its pointer to the failed task it repeated is cleared.
        UUID retried = finishedTask(longAgo);
        UUID retry = finishedTask(Instant.now().minus(days(5)));
        TaskRows.set(retry, "retry_of", retried);
        // A schedule's latest task stays; an older run of it keeps its row without the task.
        UUID latestOfSchedule = finishedTask(longAgo);
        UUID earlierRun = finishedTask(longAgo.minus(days(1)));
        UUID schedule = insertScheduleWithRuns(latestOfSchedule, earlierRun);

        Sweep sweep = retention.sweep(Instant.now());

        assertThat(exists(waitedOn)).isTrue();
        assertThat(exists(waiting.id())).isTrue();
        assertThat(exists(first)).isFalse();
        assertThat(exists(second.id())).isFalse();
        assertThat(exists(third.id())).isFalse();
        assertThat(TestDatabase.count("select count(*) from task_attempts where task_id = ?", first)).isZero();
        assertThat(logLines(first)).isZero();
        assertThat(exists(retried)).isFalse();
        assertThat(exists(retry)).isTrue();
        assertThat(TestDatabase.count("select count(*) from tasks where id = ? and retry_of is null", retry)).isEqualTo(1);
        assertThat(exists(latestOfSchedule)).isTrue();
        assertThat(exists(earlierRun)).isFalse();
        assertThat(TestDatabase.count("select count(*) from schedule_runs where schedule_id = ? and task_id is null", schedule))
                .isEqualTo(1);
        assertThat(sweep.tasks()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aWorkflowsTasksGoWithTheWorkflowOnceItFinishedBeforeTheCutOff() {
        Instant longAgo = Instant.now().minus(days(100));
        UUID oldWorkflow = TaskRows.insertWorkflow("old", 2);
        // Inserted WAITING, so nothing releases them before they are made to have finished long ago.
        NewTask build = NewTask.queued().status(TaskStatus.WAITING).workflow(oldWorkflow);
        NewTask deploy = NewTask.waitingOn(build.id()).workflow(oldWorkflow);
        TaskRows.insert(build, deploy);
        TaskRows.finish(build.id(), TaskStatus.SUCCEEDED, longAgo);
        TaskRows.finish(deploy.id(), TaskStatus.SUCCEEDED, longAgo);
        TaskRows.finishWorkflow(oldWorkflow, longAgo);
        // Its first task ended long ago, but the workflow only days ago: nothing of it goes yet.
        UUID recentWorkflow = TaskRows.insertWorkflow("recent", 2);
        NewTask early = NewTask.queued().status(TaskStatus.WAITING).workflow(recentWorkflow);
        TaskRows.insert(early);
        TaskRows.finish(early.id(), TaskStatus.SUCCEEDED, longAgo);
        TaskRows.finishWorkflow(recentWorkflow, Instant.now().minus(days(3)));

        Sweep sweep = retention.sweep(Instant.now());

        assertThat(TestDatabase.count("select count(*) from workflows where id = ?", oldWorkflow)).isZero();
        assertThat(exists(build.id())).isFalse();
        assertThat(exists(deploy.id())).isFalse();
        assertThat(TestDatabase.count("select count(*) from workflows where id = ?", recentWorkflow)).isEqualTo(1);
        assertThat(exists(early.id())).isTrue();
        assertThat(sweep.workflows()).isPositive();
    }

    private static UUID finishedTask(Instant finishedAt) {
        NewTask task = NewTask.queued().status(TaskStatus.WAITING);
        TaskRows.insert(task);
        TaskRows.finish(task.id(), TaskStatus.SUCCEEDED, finishedAt);
        return task.id();
    }

    private static UUID insertedRunning() {
        NewTask task = NewTask.queued().status(TaskStatus.RUNNING);
        TaskRows.insert(task);
        return task.id();
    }

    private static boolean exists(UUID taskId) {
        return TestDatabase.count("select count(*) from tasks where id = ?", taskId) == 1;
    }

    private static long logLines(UUID taskId) {
        return TestDatabase.count("select count(*) from task_logs where task_id = ?", taskId);
    }

    private static Duration days(int days) {
        return Duration.ofDays(days);
    }

    /** A completed schedule whose latest run created {@code latest}; an earlier run created {@code earlier}. */
    private static UUID insertScheduleWithRuns(UUID latest, UUID earlier) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = PostgresTestResource.connect();
                PreparedStatement schedule = connection.prepareStatement("""
                        insert into schedules (id, name, status, cron, timezone, task_template, missed_run_policy, max_catchup,
                                               overlap_policy, last_task_id, created_at, updated_at)
                        values (?, 'nightly', 'COMPLETED', '0 3 * * *', 'UTC', '{}'::jsonb, 'SKIP', 1, 'ALLOW', ?, now(), now())""");
                PreparedStatement run = connection.prepareStatement("""
                        insert into schedule_runs (schedule_id, fire_time, fired_at, outcome, task_id)
                        values (?, ?, now(), 'FIRED', ?)""")) {
            schedule.setObject(1, id);
            schedule.setObject(2, latest);
            schedule.executeUpdate();
            Instant fireTime = Instant.now().minus(days(101));
            for (UUID task : new UUID[] {earlier, latest}) {
                run.setObject(1, id);
                run.setTimestamp(2, Timestamp.from(fireTime));
                run.setObject(3, task);
                run.addBatch();
                fireTime = fireTime.plus(days(1));
            }
            run.executeBatch();
        }
        return id;
    }
}
