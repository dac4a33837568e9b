package dev.taskq.gateway.domain;

import dev.taskq.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per second per API key: a token bucket per key, in this gateway replica's memory. With N replicas behind a
 * load balancer a key may make up to N times its rate; bootstrap tokens are not limited.
 */
@Singleton
public class RateLimiter {

    private static final class Bucket {
        private double tokens;
        private long refilledAtNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAtNanos = now;
        }
    }

    // Buckets of keys idle this long are full again anyway, so they are dropped to keep the map small.
    private static final long IDLE_NANOS = Duration.ofMinutes(10).toNanos();
    private static final int SWEEP_AT = 10_000;

    private final double defaultRate;
    private final int burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(GatewayConfig config) {
        this(config.limits().requestsPerSecond(), config.limits().burst(), System::nanoTime);
    }

    RateLimiter(double defaultRate, int burst, LongSupplier nanoClock) {
        this.defaultRate = defaultRate;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /**
     * Takes one request from the caller's bucket: empty when it may go ahead, otherwise how many whole seconds until
     * it may (at least 1), for Retry-After.
     */
    public OptionalLong acquire(Caller caller) {
        if (caller.keyId() == null) {
            return OptionalLong.empty();
        }
        double rate = caller.limits().requestsPerSecond() == null ? defaultRate : caller.limits().requestsPerSecond();
        // The burst is sized for the default rate; a key with its own rate gets as many seconds' worth, at least one request.
        double capacity = Math.max(1, rate * burst / defaultRate);
        long now = nanoClock.getAsLong();
        if (buckets.size() > SWEEP_AT) {
            buckets.values().removeIf(bucket -> now - bucket.refilledAtNanos > IDLE_NANOS);
        }
        Bucket bucket = buckets.computeIfAbsent(caller.principal(), ignored -> new Bucket(capacity, now));
        synchronized (bucket) {
            double elapsedSeconds = (now - bucket.refilledAtNanos) / 1e9;
            bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSeconds * rate);
            bucket.refilledAtNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.max(1, (long) Math.ceil((1 - bucket.tokens) / rate)));
        }
    }
}
