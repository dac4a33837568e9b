package dev.taskq.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final List<Duration> DEFAULT = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8));

    private static RandomGenerator fixed(double value) {
        return new Random() {
            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void withoutJitterEachPauseIsTheScheduledOne() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 0);
        for (int i = 0; i < DEFAULT.size(); i++) {
            assertThat(schedule.pauseAfter(i + 1, new Random())).contains(DEFAULT.get(i));
        }
    }

    @Test
    void jitterStaysWithinPlusOrMinusItsFraction() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 0.2);
        assertThat(schedule.pauseAfter(1, fixed(0.0))).contains(Duration.ofSeconds(4));
        assertThat(schedule.pauseAfter(1, fixed(0.999999))).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofMillis(5999), Duration.ofSeconds(6)));
        Random random = new Random(42);
        for (int attempt = 1; attempt <= DEFAULT.size(); attempt++) {
            Duration base = DEFAULT.get(attempt - 1);
            for (int i = 0; i < 1000; i++) {
                assertThat(schedule.pauseAfter(attempt, random)).hasValueSatisfying(d ->
                        assertThat(d).isBetween(Duration.ofMillis(Math.round(base.toMillis() * 0.8)), Duration.ofMillis(Math.round(base.toMillis() * 1.2))));
            }
        }
    }

    @Test
    void afterTheLastPauseTheDeliveryIsDeadAfterTenAttemptsInAll() {
        RetrySchedule schedule = new RetrySchedule(DEFAULT, 0.2);
        assertThat(schedule.maxAttempts()).isEqualTo(10);
        assertThat(schedule.pauseAfter(10, new Random())).isEmpty();
        assertThat(schedule.pauseAfter(0, new Random())).isEmpty();
    }

    @Test
    void theDefaultScheduleSpansAboutFifteenHours() {
        assertThat(DEFAULT.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(5 + 30 + 120 + 600 + 1800 + 3600 + 7200 + 14400 + 28800));
    }
}
