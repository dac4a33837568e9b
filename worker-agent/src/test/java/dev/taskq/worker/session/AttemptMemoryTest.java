package dev.taskq.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.event.AttemptRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AttemptMemoryTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void anAttemptIsForgottenAfterTheRetention() {
        AttemptMemory memory = new AttemptMemory(Duration.ofMinutes(10), 100, clock);
        AttemptRef attempt = new AttemptRef(UUID.randomUUID(), 1);
        memory.remember(attempt);

        now = now.plus(Duration.ofMinutes(9));
        assertThat(memory.contains(attempt)).isTrue();
        now = now.plus(Duration.ofMinutes(2));
        assertThat(memory.contains(attempt)).isFalse();
    }

    @Test
    void theOldestAttemptIsForgottenBeyondTheCapacity() {
        AttemptMemory memory = new AttemptMemory(Duration.ofMinutes(10), 2, clock);
        AttemptRef first = new AttemptRef(UUID.randomUUID(), 1);
        AttemptRef second = new AttemptRef(UUID.randomUUID(), 1);
        AttemptRef third = new AttemptRef(UUID.randomUUID(), 2);

        memory.remember(first);
        memory.remember(second);
        memory.remember(third);

        assertThat(memory.contains(first)).isFalse();
        assertThat(memory.contains(second)).isTrue();
        assertThat(memory.contains(third)).isTrue();
    }
}
