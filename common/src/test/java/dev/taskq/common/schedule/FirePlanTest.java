package dev.taskq.common.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FirePlanTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:10:00Z"), ZoneId.of("UTC"));
    private static final Duration THRESHOLD = Duration.ofMinutes(1);
    private static final ScheduleTimes HOURLY = ScheduleTimes.cron(CronExpression.parse("0 * * * *"), ZoneId.of("UTC"), null, null);
    private static final Instant FOUR_HOURS_AGO = Instant.parse("2026-06-01T09:00:00Z");
    private static final Instant NEXT_HOUR = Instant.parse("2026-06-01T13:00:00Z");

    @Test
    void aScheduleDueJustNowFiresOnceWhateverThePolicy() {
        Instant due = Instant.parse("2026-06-01T12:09:30Z");
        ScheduleTimes times = ScheduleTimes.once(due);
        for (MissedRunPolicy policy : MissedRunPolicy.values()) {
            FirePlan plan = FirePlan.plan(times, due, CLOCK.instant(), THRESHOLD, policy, 10);
            assertThat(plan.fire()).containsExactly(due);
            assertThat(plan.missed()).isEmpty();
            assertThat(plan.next()).isEmpty();
        }
    }

    @Test
    void skipFiresNothingForMissedTimesAndMovesToTheNextFutureOne() {
        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), THRESHOLD, MissedRunPolicy.SKIP, 10);

        assertThat(plan.fire()).isEmpty();
        assertThat(plan.missed()).isEmpty();
        assertThat(plan.skipped()).isEqualTo(4);
        assertThat(plan.next()).contains(NEXT_HOUR);
    }

    @Test
    void catchupFiresTheLatestMissedTimesUpToItsBoundOldestFirst() {
        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), THRESHOLD, MissedRunPolicy.CATCHUP, 3);

        assertThat(plan.fire()).containsExactly(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T11:00:00Z"),
                Instant.parse("2026-06-01T12:00:00Z"));
        assertThat(plan.skipped()).isEqualTo(1);
        assertThat(plan.next()).contains(NEXT_HOUR);
    }

    @Test
    void failRecordsEachMissedTimeAndFiresNothing() {
        FirePlan plan = FirePlan.plan(HOURLY, FOUR_HOURS_AGO, CLOCK.instant(), THRESHOLD, MissedRunPolicy.FAIL, 10);

        assertThat(plan.fire()).isEmpty();
        assertThat(plan.missed()).hasSize(4).first().isEqualTo(FOUR_HOURS_AGO);
        assertThat(plan.next()).contains(NEXT_HOUR);
    }

    @Test
    void aMissedOneTimeScheduleHasNoNextFireTime() {
        Instant runAt = Instant.parse("2026-06-01T11:00:00Z");
        FirePlan skip = FirePlan.plan(ScheduleTimes.once(runAt), runAt, CLOCK.instant(), THRESHOLD, MissedRunPolicy.SKIP, 10);
        FirePlan catchup = FirePlan.plan(ScheduleTimes.once(runAt), runAt, CLOCK.instant(), THRESHOLD, MissedRunPolicy.CATCHUP, 10);

        assertThat(skip.fire()).isEmpty();
        assertThat(skip.next()).isEmpty();
        assertThat(catchup.fire()).containsExactly(runAt);
    }
}
