package dev.taskq.common.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirePlanTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:10:00Z"), ZoneId.of("UTC"));
    private static final Duration THRESHOLD = Duration.ofMinutes(1);
    /** No scheduler ran from 08:30 until now (12:10). */
    private static final Downtime DOWN_SINCE_0830 = new Downtime(
            List.of(new Downtime.Period(Instant.parse("2026-06-01T08:30:00Z"), CLOCK.instant())), THRESHOLD);
    /** The schedulers ran all along: whatever is late is backlog. */
    private static final Downtime NEVER_DOWN = new Downtime(List.of(), THRESHOLD);
    private static final ScheduleTimes HOURLY = ScheduleTimes.cron(CronExpression.parse("0 * * * *"), ZoneId.of("UTC"), null, null);
    private static final Instant FOUR_HOURS_AGO = Instant.parse("2026-06-01T09:00:00Z");
    private static final Instant NEXT_HOUR = Instant.parse("2026-06-01T13:00:00Z");

    @Test
    void aScheduleDueJustNowFiresOnceWhateverThePolicy() {
        Instant due = Instant.parse("2026-06-01T12:09:30Z");
        ScheduleTimes times = ScheduleTimes.once(due);
        for (MissedRunPolicy policy : MissedRunPolicy.values()) {
            FirePlan plan = FirePlan.plan(times, due, CLOCK.instant(), DOWN_SINCE_0830, policy, 10);
            assertThat(plan.fire()).containsExactly(due);
            assertThat(plan.missed()).isEmpty();
            assertThat(plan.next()).isEmpty();
        }
    }

    @Test
    void skipFiresNothingForMissedTimesAndMovesToTheNextFutureOne() {
        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), DOWN_SINCE_0830, MissedRunPolicy.SKIP, 10);

        assertThat(plan.fire()).isEmpty();
        assertThat(plan.missed()).isEmpty();
        assertThat(plan.skipped()).isEqualTo(4);
        assertThat(plan.next()).contains(NEXT_HOUR);
    }

    @Test
    void catchupFiresTheLatestMissedTimesUpToItsBoundOldestFirst() {
        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), DOWN_SINCE_0830, MissedRunPolicy.CATCHUP, 3);

        assertThat(plan.fire()).containsExactly(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T11:00:00Z"),
                Instant.parse("2026-06-01T12:00:00Z"));
        assertThat(plan.skipped()).isEqualTo(1);
        assertThat(plan.next()).contains(NEXT_HOUR);
    }

    @Test
    void failRecordsEachMissedTimeAndFiresNothing() {
        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), DOWN_SINCE_0830, MissedRunPolicy.FAIL, 10);

        assertThat(plan.fire()).isEmpty();
        assertThat(plan.missed()).hasSize(4).first().isEqualTo(FOUR_HOURS_AGO);
        assertThat(plan.next()).contains(NEXT_HOUR);
    }

    @Test
    void aMissedOneTimeScheduleHasNoNextFireTime() {
        Instant runAt = Instant.parse("2026-06-01T11:00:00Z");
        FirePlan skip = FirePlan.plan(ScheduleTimes.once(runAt), runAt, CLOCK.instant(), DOWN_SINCE_0830, MissedRunPolicy.SKIP, 10);
        FirePlan catchup = FirePlan.plan(ScheduleTimes.once(runAt), runAt, CLOCK.instant(), DOWN_SINCE_0830, MissedRunPolicy.CATCHUP, 10);

        assertThat(skip.fire()).isEmpty();
        assertThat(skip.next()).isEmpty();
        assertThat(catchup.fire()).containsExactly(runAt);
    }

    @Test
    void aBacklogIsNotDowntimeItsLateFireTimesFireWhateverThePolicy() {
        for (MissedRunPolicy policy : MissedRunPolicy.values()) {
            FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), NEVER_DOWN, policy, 10);

            assertThat(plan.fire()).hasSize(4);
            assertThat(plan.missed()).isEmpty();
            assertThat(plan.skipped()).isZero();
        }
    }

    @Test
    void aLongBacklogFiresOnlyTheLatestMaxCatchupOfOneSchedule() {
        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), NEVER_DOWN, MissedRunPolicy.SKIP, 2);

        assertThat(plan.fire()).containsExactly(Instant.parse("2026-06-01T11:00:00Z"), Instant.parse("2026-06-01T12:00:00Z"));
        assertThat(plan.skipped()).isEqualTo(2);
    }

    @Test
    void onlyFireTimesInsideADowntimeAndPastTheGraceAreMissed() {
        // Down from 10:30 to 12:00 (restarted ten minutes ago): 09:00 and 10:00 were backlog before it, 11:00 and
        // 12:00 fell inside it, and 12:00 is past the one-minute grace too.
        Downtime downtime = new Downtime(List.of(new Downtime.Period(
                Instant.parse("2026-06-01T10:30:00Z"), Instant.parse("2026-06-01T12:00:00Z"))), THRESHOLD);

        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), downtime, MissedRunPolicy.FAIL, 10);

        assertThat(plan.fire()).containsExactly(Instant.parse("2026-06-01T09:00:00Z"), Instant.parse("2026-06-01T10:00:00Z"));
        assertThat(plan.missed()).containsExactly(Instant.parse("2026-06-01T11:00:00Z"), Instant.parse("2026-06-01T12:00:00Z"));
        assertThat(downtime.missed(Instant.parse("2026-06-01T12:09:30Z"), CLOCK.instant())).isFalse();
    }
}
