package dev.taskq.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.event.AttemptRef;
import dev.taskq.testsupport.HandClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AttemptMemoryTest {

    private final HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void anAttemptIsForgottenAfterTheRetention() {
        AttemptMemory memory = new AttemptMemory(Duration.ofMinutes(10), 100, clock);
        AttemptRef attempt = new AttemptRef(UUID.randomUUID(), 1);
        memory.remember(attempt);

        clock.advance(Duration.ofMinutes(9));
        assertThat(memory.contains(attempt)).isTrue();
        clock.advance(Duration.ofMinutes(2));
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
