package dev.taskq.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.notifier.testing.LifecycleTopicResource;
import dev.taskq.notifier.testing.Rows;
import dev.taskq.notifier.testing.TelegramApiResource;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention with the default: a settled delivery goes 30 days after its last change. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(LifecycleTopicResource.class)
@QuarkusTestResource(TelegramApiResource.class)
class DeliveryRetentionIT {

    @Inject
    DeliveryRetention retention;

    @Test
    void aSettledDeliveryGoesWithItsAttemptsThirtyDaysAfterItsLastChangeAndAPendingOneStays() {
        Instant now = Instant.now();
        UUID task = Rows.task("kept for a while", "SUCCEEDED");
        UUID delivered = insertDelivery(task, 0, "DELIVERED", now.minus(Duration.ofDays(40)));
        insertDelivery(task, 1, "DEAD", now.minus(Duration.ofDays(31)));
        UUID recentlyDead = insertDelivery(task, 2, "DEAD", now.minus(Duration.ofDays(10)));
        // Still owed to its destination, however old: due tomorrow, so the delivery loop leaves it alone meanwhile.
        UUID pending = insertDelivery(task, 3, "PENDING", now.minus(Duration.ofDays(40)));
        Rows.update("""
                insert into notification_attempts (delivery_id, attempt, outcome, response_code, duration_ms, attempted_at)
                values (?, 1, 'DELIVERED', 200, 12, now() - interval '40 days')""", delivered);

        int deleted = retention.sweep(now);

        assertThat(Rows.deliveries(task)).extracting(Rows.DeliveryRow::id).containsExactlyInAnyOrder(recentlyDead, pending);
        assertThat(Rows.attempts(delivered)).isEmpty();
        assertThat(deleted).isGreaterThanOrEqualTo(2);
    }

    /** A delivery last changed at {@code lastChanged}; a PENDING one is next due tomorrow. */
    private static UUID insertDelivery(UUID task, int position, String status, Instant lastChanged) {
        UUID id = UUID.randomUUID();
        Timestamp nextAttemptAt = status.equals("PENDING") ? Timestamp.from(Instant.now().plus(Duration.ofDays(1))) : null;
        Rows.update("""
                insert into notification_deliveries (id, event_id, task_id, event_type, destination_key, task_position, channel,
                    status, event, attempt_count, retry_count, next_attempt_at, created_at, updated_at)
                values (?, ?, ?, 'TASK_SUCCEEDED', ?, ?, 'WEBHOOK', ?, '{"status":"SUCCEEDED","attempt":1}'::jsonb, 1, 1,
                    ?, ?, ?)""",
                id, UUID.randomUUID(), task, "task:" + task + ":" + position, position, status, nextAttemptAt,
                Timestamp.from(lastChanged), Timestamp.from(lastChanged));
        return id;
    }
}
