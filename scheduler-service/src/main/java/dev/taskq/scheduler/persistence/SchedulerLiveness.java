package dev.taskq.scheduler.persistence;

import dev.taskq.common.schedule.Downtime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * When the schedulers ran: the start of the latest pass of any replica, and the periods in which none ran. A pass
 * that finds the previous one started more than the misfire threshold ago records the gap as downtime; fire times
 * inside such a period are missed, any other late one is backlog (see {@link Downtime}).
 */
@ApplicationScoped
public class SchedulerLiveness {

    /** Downtime periods that ended longer ago than this are pruned: no schedule stays overdue that long unclaimed. */
    private static final Duration KEEP = Duration.ofDays(30);

    private final EntityManager entityManager;

    public SchedulerLiveness(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Records that a pass starts at {@code now} and returns the downtime periods a late fire time may fall in. The
     * first pass ever records everything before it as downtime: no scheduler ran then. Locks the one liveness row
     * briefly, so the caller runs it in a transaction of its own, not in the batch's.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Downtime.Period> recordPass(Instant now, Duration gap) {
        Optional<Instant> last = entityManager.createNativeQuery(
                        "select last_pass_at from scheduler_liveness where id = 1 for update")
                .getResultStream().findFirst().map(SchedulerLiveness::instant);
        if (last.isEmpty()) {
            entityManager.createNativeQuery("insert into scheduler_liveness (id, last_pass_at) values (1, ?1) on conflict (id) do nothing")
                    .setParameter(1, Timestamp.from(now))
                    .executeUpdate();
            recordDowntime(Instant.EPOCH, now);
        } else {
            if (Duration.between(last.get(), now).compareTo(gap) > 0) {
                recordDowntime(last.get(), now);
            }
            // greatest: a pass that started earlier but got here later must not move the mark back.
            entityManager.createNativeQuery("update scheduler_liveness set last_pass_at = greatest(last_pass_at, ?1) where id = 1")
                    .setParameter(1, Timestamp.from(now))
                    .executeUpdate();
        }
        List<?> rows = entityManager.createNativeQuery(
                        "select down_from, down_until from scheduler_downtimes where down_until >= ?1 order by down_from")
                .setParameter(1, Timestamp.from(now.minus(KEEP)))
                .getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(row -> new Downtime.Period(instant(row[0]), instant(row[1])))
                .toList();
    }

    private void recordDowntime(Instant from, Instant until) {
        entityManager.createNativeQuery("insert into scheduler_downtimes (down_from, down_until) values (?1, ?2)")
                .setParameter(1, Timestamp.from(from))
                .setParameter(2, Timestamp.from(until))
                .executeUpdate();
        entityManager.createNativeQuery("delete from scheduler_downtimes where down_until < ?1")
                .setParameter(1, Timestamp.from(until.minus(KEEP)))
                .executeUpdate();
    }

    static Instant instant(Object value) {
        return switch (value) {
            case Instant instant -> instant;
            case Timestamp timestamp -> timestamp.toInstant();
            case OffsetDateTime offset -> offset.toInstant();
            default -> throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
        };
    }
}
