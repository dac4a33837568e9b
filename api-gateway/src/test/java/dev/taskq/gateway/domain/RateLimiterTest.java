package dev.taskq.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(10, 20, nanos::get);

    @Test
    void aKeyMaySendItsBurstAtOnceAndIsThenToldWhenToComeBack() {
        Caller caller = key(null);
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.acquire(caller)).as("request %d", i).isEmpty();
        }
        assertThat(limiter.acquire(caller)).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void theBucketRefillsAtTheKeysRate() {
        Caller caller = key(null);
        for (int i = 0; i < 20; i++) {
            limiter.acquire(caller);
        }
        nanos.addAndGet(500_000_000L);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire(caller)).as("request %d after half a second", i).isEmpty();
        }
        assertThat(limiter.acquire(caller)).isPresent();
    }

    @Test
    void aKeysOwnRateOverridesTheDefaultAndSizesItsBucket() {
        Caller slow = key(0.25);
        assertThat(limiter.acquire(slow)).isEmpty();
        assertThat(limiter.acquire(slow)).isEqualTo(OptionalLong.of(4));
        nanos.addAndGet(4_000_000_000L);
        assertThat(limiter.acquire(slow)).isEmpty();
    }

    @Test
    void keysHaveBucketsOfTheirOwnAndBootstrapTokensAreNotLimited() {
        Caller first = key(0.25);
        Caller second = key(0.25);
        assertThat(limiter.acquire(first)).isEmpty();
        assertThat(limiter.acquire(second)).isEmpty();
        Caller bootstrap = Caller.bootstrap("p");
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire(bootstrap)).isEmpty();
        }
    }

    private static Caller key(Double requestsPerSecond) {
        UUID id = UUID.randomUUID();
        return new Caller(id, "k", Role.SUBMITTER, Set.of(), "key:" + id,
                new Caller.Limits(requestsPerSecond, null, (BigDecimal) null));
    }
}
