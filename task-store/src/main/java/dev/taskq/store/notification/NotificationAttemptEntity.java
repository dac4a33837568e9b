package dev.taskq.store.notification;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One send of a delivery: what the receiver answered and how long it took. */
@Entity
@Table(name = "notification_attempts")
public class NotificationAttemptEntity {

    @EmbeddedId
    public Key key;

    /** delivered, retried, failed, dead or disabled: the same words as the metric's outcome tag. */
    @Column(nullable = false)
    public String outcome;

    @Column(name = "response_code")
    public Integer responseCode;

    public String error;

    @Column(name = "duration_ms")
    public long durationMs;

    @Column(name = "attempted_at", nullable = false)
    public Instant attemptedAt;

    @Embeddable
    public record Key(@Column(name = "delivery_id") UUID deliveryId, @Column(name = "attempt") int attempt) {}
}
