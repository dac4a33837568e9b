package dev.taskq.common.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {

    @ParameterizedTest(name = "{0} ''{1}'' after {2} fires at {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # spring forward: 02:00 → 03:00, so 02:30 does not exist and fires at the shifted 03:30
            America/New_York   | 30 2 * * *   | 2026-03-08T01:00-05:00 | 2026-03-08T03:30-04:00
            America/New_York   | 30 2 * * *   | 2026-03-08T03:30-04:00 | 2026-03-09T02:30-04:00
            # fall back: 01:30 happens twice and fires at the first one only
            America/New_York   | 30 1 * * *   | 2026-11-01T00:00-04:00 | 2026-11-01T01:30-04:00
            America/New_York   | 30 1 * * *   | 2026-11-01T01:30-04:00 | 2026-11-02T01:30-05:00
            America/New_York   | 0 * * * *    | 2026-11-01T01:00-04:00 | 2026-11-01T02:00-05:00
            Europe/London      | 30 1 * * *   | 2026-03-29T00:00Z      | 2026-03-29T02:30+01:00
            Europe/London      | 30 1 * * *   | 2026-10-25T00:00+01:00 | 2026-10-25T01:30+01:00
            Europe/London      | 30 1 * * *   | 2026-10-25T01:30+01:00 | 2026-10-26T01:30Z
            # Lord Howe moves by 30 minutes: 02:00 → 02:30 in October, 02:00 → 01:30 in April
            Australia/Lord_Howe | 15 2 * * *  | 2026-10-04T00:00+10:30 | 2026-10-04T02:45+11:00
            Australia/Lord_Howe | 45 1 * * *  | 2026-04-05T00:00+11:00 | 2026-04-05T01:45+11:00
            Australia/Lord_Howe | 45 1 * * *  | 2026-04-05T01:45+11:00 | 2026-04-06T01:45+10:30
            # February 29th only in leap years
            UTC                | 0 12 29 2 *  | 2026-01-01T00:00Z      | 2028-02-29T12:00Z
            UTC                | 0 12 29 2 *  | 2024-01-01T00:00Z      | 2024-02-29T12:00Z
            # the 31st skips the months without one
            UTC                | 0 0 31 * *   | 2026-01-31T00:00Z      | 2026-03-31T00:00Z
            UTC                | 0 0 31 * *   | 2026-03-31T00:00Z      | 2026-05-31T00:00Z
            Europe/London      | @daily       | 2026-06-01T10:00Z      | 2026-06-01T23:00Z
            America/New_York   | @hourly      | 2026-06-01T10:20-04:00 | 2026-06-01T11:00-04:00
            America/New_York   | @weekly      | 2026-06-01T10:00-04:00 | 2026-06-07T00:00-04:00
            America/New_York   | @monthly     | 2026-06-01T10:00-04:00 | 2026-07-01T00:00-04:00
            America/New_York   | @yearly      | 2026-06-01T10:00-04:00 | 2027-01-01T00:00-05:00
            # weekdays: Friday night → Monday
            America/New_York   | 0 2 * * 1-5  | 2026-11-20T03:00-05:00 | 2026-11-23T02:00-05:00
            """)
    void theNextFireTimeFollowsTheWallClockOfTheZone(String zone, String cron, String after, String expected) {
        Instant next = CronExpression.parse(cron).nextAfter(OffsetDateTime.parse(after).toInstant(), ZoneId.of(zone)).orElseThrow();
        assertThat(next).isEqualTo(OffsetDateTime.parse(expected).toInstant());
    }

    @Test
    void everyHalfHourAcrossSpringForwardFiresEachInstantOnce() {
        ScheduleTimes times = ScheduleTimes.cron(CronExpression.parse("*/30 * * * *"), ZoneId.of("America/New_York"), null, null);
        Clock clock = Clock.fixed(OffsetDateTime.parse("2026-03-08T01:00-05:00").toInstant(), ZoneId.of("UTC"));

        assertThat(times.next(5, clock.instant())).containsExactly(
                OffsetDateTime.parse("2026-03-08T01:30-05:00").toInstant(),
                OffsetDateTime.parse("2026-03-08T03:00-04:00").toInstant(),
                OffsetDateTime.parse("2026-03-08T03:30-04:00").toInstant(),
                OffsetDateTime.parse("2026-03-08T04:00-04:00").toInstant(),
                OffsetDateTime.parse("2026-03-08T04:30-04:00").toInstant());
    }

    @Test
    void everyHalfHourAcrossFallBackFiresTheRepeatedHourOnce() {
        ScheduleTimes times = ScheduleTimes.cron(CronExpression.parse("*/30 * * * *"), ZoneId.of("America/New_York"), null, null);

        assertThat(times.next(4, OffsetDateTime.parse("2026-11-01T00:45-04:00").toInstant())).containsExactly(
                OffsetDateTime.parse("2026-11-01T01:00-04:00").toInstant(),
                OffsetDateTime.parse("2026-11-01T01:30-04:00").toInstant(),
                OffsetDateTime.parse("2026-11-01T02:00-05:00").toInstant(),
                OffsetDateTime.parse("2026-11-01T02:30-05:00").toInstant());
    }

    @Test
    void startAtIsInclusiveAndEndAtStopsTheSchedule() {
        Instant start = OffsetDateTime.parse("2026-05-01T00:00Z").toInstant();
        Instant end = OffsetDateTime.parse("2026-05-03T00:00Z").toInstant();
        ScheduleTimes times = ScheduleTimes.cron(CronExpression.parse("@daily"), ZoneId.of("UTC"), start, end);

        assertThat(times.next(10, start.minusSeconds(86_400 * 30))).containsExactly(
                start, start.plusSeconds(86_400), end);
    }

    @Test
    void aOneTimeScheduleFiresOnlyAtItsRunAt() {
        Instant runAt = OffsetDateTime.parse("2026-05-01T10:00+02:00").toInstant();
        ScheduleTimes times = ScheduleTimes.once(runAt);

        assertThat(times.next(3, runAt.minusSeconds(60))).isEqualTo(List.of(runAt));
        assertThat(times.nextAfter(runAt)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"61 * * * *", "* * *", "* * * * * *", "@often", "0 0 30 2 *", "", "a b c d e"})
    void anInvalidExpressionIsRejectedWithAReason(String cron) {
        assertThatThrownBy(() -> CronExpression.parse(cron)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s).*\\S.*");
    }
}
