package dev.taskq.scheduler.domain;

import static dev.taskq.scheduler.domain.ScheduleRows.Spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.ScheduleRunFailedEvent.Kind;
import dev.taskq.common.schedule.CronExpression;
import dev.taskq.common.schedule.RunOutcome;
import dev.taskq.common.schedule.ScheduleTimes;
import dev.taskq.store.schedule.ScheduleRepository;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ScheduleFiringIT {

    private static final String EVERY_TEN_MINUTES = "*/10 * * * *";
    /** Due "now" in these tests, its next fire time is months away: a pass can never see a second one due. */
    private static final String YEARLY = "0 0 1 1 *";

    @Inject
    ScheduleFirer firer;

    @Inject
    ScheduleLoop loop;

    @Inject
    ScheduleRepository schedules;

    @Inject
    RunSettler settler;

    @Test
    void aOneTimeScheduleDueInASecondFiresOnTimeThroughTheLoop() {
        Instant runAt = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        UUID id = ScheduleRows.insert(Spec.once("soon", runAt));

        loop.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ScheduleRows.runs(id, "FIRED") == 1);
        } finally {
            loop.stop();
        }

        assertThat(ScheduleRows.tasksOf(id)).isEqualTo(1);
        assertThat(ScheduleRows.text("select status from schedules where id = ?", id)).isEqualTo("COMPLETED");
        assertThat(ScheduleRows.text("""
                select t.status from schedule_runs r join tasks t on t.id = r.task_id where r.schedule_id = ?""", id))
                .isEqualTo("QUEUED");
        Instant firedAt = ScheduleRows.instant("select fired_at from schedule_runs where schedule_id = ?", id);
        assertThat(Duration.between(runAt, firedAt)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(ScheduleRows.text("select t.metadata->>'source' from schedules s join tasks t on t.id = s.last_task_id where s.id = ?", id))
                .isEqualTo("schedule");
    }

    @Test
    void fourConcurrentFirersOverSixtyDueSchedulesFireEachRunExactlyOnce() throws Exception {
        String batch = "race-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(ScheduleRows.insert(Spec.once(batch, now.minusMillis(500 + i))));
        }
        for (int i = 0; i < 20; i++) {
            ids.add(ScheduleRows.insert(Spec.cron(batch, YEARLY, now.minusSeconds(1).minusMillis(i))));
        }

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> passes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                passes.add(() -> {
                    int claimed = 0;
                    for (int pass = 0; pass < 5; pass++) {
                        claimed += firer.fireDue();
                    }
                    return claimed;
                });
            }
            for (Future<Integer> pass : threads.invokeAll(passes)) {
                pass.get();
            }
        } finally {
            threads.shutdown();
        }

        assertThat(TestDatabase.count("""
                select count(*) from schedule_runs r join schedules s on s.id = r.schedule_id where s.name = ?""", batch))
                .isEqualTo(60);
        assertThat(TestDatabase.count("""
                select count(distinct r.task_id) from schedule_runs r join schedules s on s.id = r.schedule_id
                where s.name = ? and r.outcome = 'FIRED'""", batch)).isEqualTo(60);
        assertThat(TestDatabase.count("select count(*) from tasks where status = 'QUEUED' and id in "
                + "(select r.task_id from schedule_runs r join schedules s on s.id = r.schedule_id where s.name = ?)", batch))
                .isEqualTo(60);
        assertThat(TestDatabase.count("select count(*) from schedules where name = ? and status = 'COMPLETED'", batch)).isEqualTo(40);
        assertThat(TestDatabase.count("select count(*) from schedules where name = ? and status = 'ACTIVE' and next_fire_at > now()", batch))
                .isEqualTo(20);
    }

    @Test
    void aSecondInsertOfTheSameFireTimeRecordsNothing() {
        UUID id = ScheduleRows.insert(Spec.once("dup", Instant.now().plusSeconds(3600)));
        Instant fireTime = Instant.now().truncatedTo(ChronoUnit.MICROS);

        boolean first = QuarkusTransaction.requiringNew().call(() -> schedules.insertRun(id, fireTime, Instant.now(),
                RunOutcome.FIRED).isPresent());
        boolean second = QuarkusTransaction.requiringNew().call(() -> schedules.insertRun(id, fireTime, Instant.now(),
                RunOutcome.FIRED).isPresent());

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
    }

    @Test
    void afterAnHourDownSkipFiresNothingAndMovesToTheNextFutureTime() {
        Instant now = midwayBetweenFireTimes();
        UUID id = ScheduleRows.insert(Spec.cron("down-skip", EVERY_TEN_MINUTES, hourAgo(now)).missed("SKIP", 10));

        ScheduleRows.schedulersLastRanAt(hourAgo(now).minus(Duration.ofMinutes(1)));
        firer.fireDue(now);

        assertThat(TestDatabase.count("select count(*) from schedule_runs where schedule_id = ?", id)).isZero();
        assertThat(ScheduleRows.instant("select next_fire_at from schedules where id = ?", id)).isEqualTo(now.plus(Duration.ofMinutes(5)));
    }

    @Test
    void afterAnHourDownCatchupFiresTheLatestMaxCatchupRunsEachWithItsTask() {
        Instant now = midwayBetweenFireTimes();
        UUID id = ScheduleRows.insert(Spec.cron("down-catchup", EVERY_TEN_MINUTES, hourAgo(now)).missed("CATCHUP", 3).overlap("ALLOW", null));

        ScheduleRows.schedulersLastRanAt(hourAgo(now).minus(Duration.ofMinutes(1)));
        firer.fireDue(now);

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(3);
        assertThat(ScheduleRows.tasksOf(id)).isEqualTo(3);
        assertThat(ScheduleRows.instant("select min(fire_time) from schedule_runs where schedule_id = ?", id))
                .isEqualTo(now.minus(Duration.ofMinutes(25)));
        assertThat(ScheduleRows.instant("select max(fire_time) from schedule_runs where schedule_id = ?", id))
                .isEqualTo(now.minus(Duration.ofMinutes(5)));
        assertThat(ScheduleRows.instant("select next_fire_at from schedules where id = ?", id)).isEqualTo(now.plus(Duration.ofMinutes(5)));
    }

    @Test
    void catchupRunsOfOneSkipOverlapScheduleSkipAllButTheFirstWhileItsTaskIsUnfinished() {
        Instant now = midwayBetweenFireTimes();
        UUID id = ScheduleRows.insert(Spec.cron("catchup-overlap", EVERY_TEN_MINUTES, hourAgo(now)).missed("CATCHUP", 3));

        ScheduleRows.schedulersLastRanAt(hourAgo(now).minus(Duration.ofMinutes(1)));
        firer.fireDue(now);

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
        assertThat(ScheduleRows.runs(id, "SKIPPED_OVERLAP")).isEqualTo(2);
    }

    @Test
    void afterAnHourDownFailRecordsEachMissedRunWithoutATask() {
        Instant now = midwayBetweenFireTimes();
        UUID id = ScheduleRows.insert(Spec.cron("down-fail", EVERY_TEN_MINUTES, hourAgo(now)).missed("FAIL", 10));

        ScheduleRows.schedulersLastRanAt(hourAgo(now).minus(Duration.ofMinutes(1)));
        firer.fireDue(now);

        assertThat(ScheduleRows.runs(id, "MISSED")).isEqualTo(6);
        assertThat(TestDatabase.count("select count(*) from schedule_runs where schedule_id = ? and task_id is not null", id)).isZero();
        assertThat(ScheduleRows.notices(id)).containsExactly("MISSED", "MISSED", "MISSED", "MISSED", "MISSED", "MISSED");
        assertThat(ScheduleRows.instant("select next_fire_at from schedules where id = ?", id)).isEqualTo(now.plus(Duration.ofMinutes(5)));
    }

    @Test
    void overlapSkipRecordsASkippedRunWhileThePreviousTaskIsUnfinished() {
        UUID previous = ScheduleRows.insertTask(TaskStatus.RUNNING);
        UUID id = ScheduleRows.insert(Spec.cron("overlap-skip", YEARLY, Instant.now().minusSeconds(1)).overlap("SKIP", previous));

        firer.fireDue();

        assertThat(ScheduleRows.runs(id, "SKIPPED_OVERLAP")).isEqualTo(1);
        assertThat(ScheduleRows.tasksOf(id)).isZero();
        assertThat(ScheduleRows.text("select status from tasks where id = ?", previous)).isEqualTo("RUNNING");
    }

    @Test
    void overlapSkipFiresWhenThePreviousTaskHasFinished() {
        UUID previous = ScheduleRows.insertTask(TaskStatus.SUCCEEDED);
        UUID id = ScheduleRows.insert(Spec.cron("overlap-done", YEARLY, Instant.now().minusSeconds(1)).overlap("SKIP", previous));

        firer.fireDue();

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
    }

    @Test
    void overlapAllowFiresBesideTheUnfinishedPreviousTask() {
        UUID previous = ScheduleRows.insertTask(TaskStatus.QUEUED);
        UUID id = ScheduleRows.insert(Spec.cron("overlap-allow", YEARLY, Instant.now().minusSeconds(1)).overlap("ALLOW", previous));

        firer.fireDue();

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
        assertThat(ScheduleRows.text("select status from tasks where id = ?", previous)).isEqualTo("QUEUED");
    }

    @Test
    void overlapCancelCancelsThePreviousTaskThenFires() {
        UUID previous = ScheduleRows.insertTask(TaskStatus.QUEUED);
        UUID id = ScheduleRows.insert(Spec.cron("overlap-cancel", YEARLY, Instant.now().minusSeconds(1)).overlap("CANCEL", previous));

        firer.fireDue();

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
        assertThat(ScheduleRows.text("select status from tasks where id = ?", previous)).isEqualTo("CANCELLED");
        assertThat(ScheduleRows.text("select status_reason from tasks where id = ?", previous)).contains(id.toString());
        assertThat(ScheduleRows.text("select last_task_id::text from schedules where id = ?", id)).isNotEqualTo(previous.toString());
    }

    @Test
    void aPausedScheduleDoesNotFire() {
        UUID id = ScheduleRows.insert(Spec.cron("paused", YEARLY, Instant.now().minusSeconds(1)).status("PAUSED"));

        firer.fireDue();

        assertThat(TestDatabase.count("select count(*) from schedule_runs where schedule_id = ?", id)).isZero();
    }

    @Test
    void maxRunsEndsTheScheduleOnceReached() {
        Instant now = midwayBetweenFireTimes();
        UUID id = ScheduleRows.insert(Spec.cron("max-runs", EVERY_TEN_MINUTES, hourAgo(now)).missed("CATCHUP", 10).overlap("ALLOW", null).maxRuns(2));

        ScheduleRows.schedulersLastRanAt(hourAgo(now).minus(Duration.ofMinutes(1)));
        firer.fireDue(now);

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(2);
        assertThat(ScheduleRows.text("select status from schedules where id = ?", id)).isEqualTo("COMPLETED");
        assertThat(ScheduleRows.instant("select next_fire_at from schedules where id = ?", id)).isNull();
    }

    @Test
    void endAtEndsTheScheduleAfterItsLastFireTime() {
        // This minute's fire time: due less than the misfire threshold ago, and the next one is after endAt.
        Instant due = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        UUID id = ScheduleRows.insert(Spec.cron("end-at", "* * * * *", due));
        ScheduleRows.update("update schedules set end_at = ? where id = ?", Timestamp.from(due.plusSeconds(1)), id);

        firer.fireDue();

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
        assertThat(ScheduleRows.text("select status from schedules where id = ?", id)).isEqualTo("COMPLETED");
    }

    @Test
    void aPipelineStepsTaskDependsOnThePreviousStepsTask() {
        UUID pipeline = UUID.randomUUID();
        Instant due = Instant.now().minusSeconds(1);
        UUID first = ScheduleRows.insertPipelineStep(pipeline, 1, null, due, "ACTIVE");
        UUID second = ScheduleRows.insertPipelineStep(pipeline, 2, first, due, "ACTIVE");

        firer.fireDue();

        String firstTask = ScheduleRows.text("select last_task_id::text from schedules where id = ?", first);
        String secondTask = ScheduleRows.text("select last_task_id::text from schedules where id = ?", second);
        assertThat(ScheduleRows.text("select status from tasks where id = ?::uuid", firstTask)).isEqualTo("QUEUED");
        assertThat(ScheduleRows.text("select status from tasks where id = ?::uuid", secondTask)).isEqualTo("WAITING");
        assertThat(ScheduleRows.text("select depends_on::text from task_dependencies where task_id = ?::uuid", secondTask))
                .isEqualTo(firstTask);
    }

    @Test
    void aPipelineStepWaitsWhileThePreviousStepHasNotFired() {
        UUID pipeline = UUID.randomUUID();
        Instant due = Instant.now().minusSeconds(1);
        UUID first = ScheduleRows.insertPipelineStep(pipeline, 1, null, due, "PAUSED");
        UUID second = ScheduleRows.insertPipelineStep(pipeline, 2, first, due, "ACTIVE");

        firer.fireDue();

        assertThat(TestDatabase.count("select count(*) from schedule_runs where schedule_id = ?", second)).isZero();
        assertThat(ScheduleRows.text("select status from schedules where id = ?", second)).isEqualTo("ACTIVE");

        ScheduleRows.update("update schedules set status = 'CANCELLED', next_fire_at = null where id = ?", first);
        firer.fireDue();

        assertThat(ScheduleRows.text("select status from schedules where id = ?", second)).isEqualTo("CANCELLED");
    }

    @Test
    void aBacklogWhileSchedulersRanIsNotDowntimeItsLateRunFiresWhateverThePolicy() {
        Instant now = Instant.now();
        ScheduleRows.schedulersLastRanAt(now.minusSeconds(1));
        UUID id = ScheduleRows.insert(Spec.once("backlog", now.minus(Duration.ofMinutes(5))).missed("FAIL", 10));

        firer.fireDue(now);

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
        assertThat(ScheduleRows.notices(id)).isEmpty();
        assertThat(TestDatabase.count("select count(*) from scheduler_downtimes")).isZero();
    }

    @Test
    void aRunDueWhileNoSchedulerRanIsMissedAndAnnounced() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant lastPass = now.minus(Duration.ofMinutes(10));
        ScheduleRows.schedulersLastRanAt(lastPass);
        UUID id = ScheduleRows.insert(Spec.once("down-then-due", now.minus(Duration.ofMinutes(5))).missed("FAIL", 10));

        firer.fireDue(now);

        assertThat(ScheduleRows.runs(id, "MISSED")).isEqualTo(1);
        assertThat(ScheduleRows.notices(id)).containsExactly("MISSED");
        assertThat(ScheduleRows.text("select status from schedules where id = ?", id)).isEqualTo("COMPLETED");
        assertThat(TestDatabase.count("select count(*) from scheduler_downtimes where down_from = ? and down_until = ?",
                Timestamp.from(lastPass), Timestamp.from(now))).isEqualTo(1);
    }

    @Test
    void aWorkflowScheduleFiresTheWholeDagAtOnceAndLinksTheRunToIt() {
        UUID id = ScheduleRows.insertWorkflowSchedule(Spec.cron("workflow", YEARLY, Instant.now().minusSeconds(1)));

        firer.fireDue();

        assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
        String workflow = ScheduleRows.text("select workflow_id::text from schedule_runs where schedule_id = ?", id);
        assertThat(workflow).isNotNull();
        assertThat(ScheduleRows.text("select task_id::text from schedule_runs where schedule_id = ?", id)).isNull();
        assertThat(ScheduleRows.text("select last_workflow_id::text from schedules where id = ?", id)).isEqualTo(workflow);
        assertThat(ScheduleRows.text("select name || ' ' || status from workflows where id = ?::uuid", workflow))
                .isEqualTo("nightly build RUNNING");
        assertThat(TestDatabase.count("select count(*) from tasks where workflow_id = ?::uuid", workflow)).isEqualTo(3);
        assertThat(ScheduleRows.text("select status from tasks where workflow_id = ?::uuid and workflow_ref = 'build'", workflow))
                .isEqualTo("QUEUED");
        assertThat(TestDatabase.count("""
                select count(*) from tasks where workflow_id = ?::uuid and workflow_ref in ('test', 'lint') and status = 'WAITING'""",
                workflow)).isEqualTo(2);
        assertThat(TestDatabase.count("""
                select count(*) from task_dependencies d join tasks t on t.id = d.task_id join tasks b on b.id = d.depends_on
                where t.workflow_id = ?::uuid and b.workflow_id = t.workflow_id and b.workflow_ref = 'build'""", workflow))
                .isEqualTo(2);
    }

    @Test
    void aRunsTasksAreSubmittedInTheNameOfTheSchedulesCreator() {
        UUID owner = UUID.randomUUID();
        UUID taskSchedule = ScheduleRows.insert(Spec.cron("owned task", YEARLY, Instant.now().minusSeconds(1)));
        UUID workflowSchedule = ScheduleRows.insertWorkflowSchedule(Spec.cron("owned workflow", YEARLY, Instant.now().minusSeconds(1)));
        for (UUID schedule : List.of(taskSchedule, workflowSchedule)) {
            ScheduleRows.update("update schedules set created_by_key_id = ?, created_by = 'alice' where id = ?", owner, schedule);
        }

        firer.fireDue();

        assertThat(ScheduleRows.text("""
                select t.submitted_by_key_id || ' ' || t.submitted_by
                from schedules s join tasks t on t.id = s.last_task_id where s.id = ?""", taskSchedule))
                .isEqualTo(owner + " alice");
        assertThat(TestDatabase.count("""
                select count(*) from schedules s join tasks t on t.workflow_id = s.last_workflow_id
                where s.id = ? and t.submitted_by_key_id = ? and t.submitted_by = 'alice'""", workflowSchedule, owner))
                .isEqualTo(3);
    }

    @Test
    void overlapLooksAtTheWorkflowSkipWhileItRunsCancelCancelsItAndItsEndingIsAnnounced() {
        UUID skip = ScheduleRows.insertWorkflowSchedule(Spec.cron("workflow-skip", YEARLY, Instant.now().minusSeconds(2)).overlap("SKIP", null));
        UUID cancel = ScheduleRows.insertWorkflowSchedule(Spec.cron("workflow-cancel", YEARLY, Instant.now().minusSeconds(2)).overlap("CANCEL", null));
        firer.fireDue();
        String firstCancelled = ScheduleRows.text("select last_workflow_id::text from schedules where id = ?", cancel);

        // Due again while the first workflows still run.
        ScheduleRows.update("update schedules set next_fire_at = ? where id in (?, ?)", Timestamp.from(Instant.now().minusSeconds(1)), skip, cancel);
        firer.fireDue();

        assertThat(ScheduleRows.runs(skip, "FIRED")).isEqualTo(1);
        assertThat(ScheduleRows.runs(skip, "SKIPPED_OVERLAP")).isEqualTo(1);
        assertThat(ScheduleRows.runs(cancel, "FIRED")).isEqualTo(2);
        assertThat(ScheduleRows.text("select status from workflows where id = ?::uuid", firstCancelled)).isEqualTo("CANCELLED");
        assertThat(TestDatabase.count("select count(*) from tasks where workflow_id = ?::uuid and status <> 'CANCELLED'", firstCancelled)).isZero();
        assertThat(ScheduleRows.text("select w.status from workflows w join schedules s on s.last_workflow_id = w.id where s.id = ?", cancel))
                .isEqualTo("RUNNING");

        settleAll();

        assertThat(ScheduleRows.notices(cancel)).containsExactly("RUN_FAILED");
        assertThat(ScheduleRows.notices(skip)).isEmpty();
    }

    @Test
    void aRunWhoseTaskFailsIsAnnouncedOnceAndASucceededOneIsSettledQuietly() {
        UUID failing = ScheduleRows.insert(Spec.cron("run-fails", YEARLY, Instant.now().minusSeconds(1)));
        UUID passing = ScheduleRows.insert(Spec.cron("run-passes", YEARLY, Instant.now().minusSeconds(1)));
        firer.fireDue();
        ScheduleRows.update("""
                update tasks set status = 'FAILED', status_reason = 'exit code 1'
                where id = (select task_id from schedule_runs where schedule_id = ?)""", failing);
        ScheduleRows.update("update tasks set status = 'SUCCEEDED' where id = (select task_id from schedule_runs where schedule_id = ?)", passing);

        settleAll();
        settleAll();

        assertThat(ScheduleRows.notices(failing)).containsExactly("RUN_FAILED");
        assertThat(ScheduleRows.text("""
                select payload::jsonb->>'reason' from outbox where record_key = ? and topic like '%schedule-runs'""", failing.toString()))
                .contains("FAILED").contains("exit code 1");
        long run = Long.parseLong(ScheduleRows.text("select id::text from schedule_runs where schedule_id = ?", failing));
        assertThat(ScheduleRows.text("""
                select payload::jsonb->>'eventId' || ' ' || (payload::jsonb->>'taskId') || ' ' || (payload::jsonb->>'scheduleName')
                from outbox where record_key = ? and topic like '%schedule-runs'""", failing.toString()))
                .isEqualTo(RunNotices.eventId(run, Kind.RUN_FAILED) + " "
                        + ScheduleRows.text("select task_id::text from schedule_runs where id = ?", run) + " run-fails");
        assertThat(ScheduleRows.notices(passing)).isEmpty();
        assertThat(TestDatabase.count("select count(*) from schedule_runs where schedule_id in (?, ?) and settled_at is not null",
                failing, passing)).isEqualTo(2);
    }

    @Test
    void aScheduleThatFailsToFireRecordsFireFailedWhileTheOthersInItsBatchFire() {
        String batch = "isolation-" + UUID.randomUUID();
        Instant due = Instant.now().minusSeconds(1);
        List<UUID> good = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            good.add(ScheduleRows.insert(Spec.cron(batch, YEARLY, due.minusMillis(i))));
        }
        UUID gone = UUID.randomUUID();
        UUID broken = ScheduleRows.insertDependingOn(Spec.cron(batch, YEARLY, due.minusMillis(2)), gone);

        firer.fireDue();
        firer.fireDue();

        for (UUID id : good) {
            assertThat(ScheduleRows.runs(id, "FIRED")).isEqualTo(1);
            assertThat(ScheduleRows.tasksOf(id)).isEqualTo(1);
        }
        assertThat(ScheduleRows.runs(broken, "FIRE_FAILED")).isEqualTo(1);
        assertThat(ScheduleRows.tasksOf(broken)).isZero();
        assertThat(ScheduleRows.text("select reason from schedule_runs where schedule_id = ?", broken)).contains(gone.toString());
        assertThat(ScheduleRows.notices(broken)).containsExactly("FIRE_FAILED");
        // Not retried before its next fire time: it carries on as a schedule, next year.
        assertThat(ScheduleRows.text("select status from schedules where id = ?", broken)).isEqualTo("ACTIVE");
        assertThat(ScheduleRows.instant("select next_fire_at from schedules where id = ?", broken)).isAfter(Instant.now().plus(Duration.ofDays(1)));
    }

    private void settleAll() {
        while (settler.settleFinished() > 0) {
            // Runs of other tests' schedules may be settled too; go on until none is left.
        }
    }

    /** Five minutes after the latest ten-minute mark at least five minutes ago: no fire time is near it. */
    private static Instant midwayBetweenFireTimes() {
        long tenMinutes = Duration.ofMinutes(10).toSeconds();
        long floor = Instant.now().getEpochSecond() / tenMinutes * tenMinutes;
        return Instant.ofEpochSecond(floor).minus(Duration.ofMinutes(5));
    }

    /** The schedule's first fire time an hour before {@code now}: 6 fire times have passed since (the last 5 minutes ago). */
    private static Instant hourAgo(Instant now) {
        return ScheduleTimes.cron(CronExpression.parse(EVERY_TEN_MINUTES), ZoneId.of("UTC"), null, null)
                .nextAfter(now.minus(Duration.ofMinutes(61))).orElseThrow();
    }
}
