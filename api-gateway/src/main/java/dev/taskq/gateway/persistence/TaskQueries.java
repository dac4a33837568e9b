package dev.taskq.gateway.persistence;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.domain.WaitingReason;
import dev.taskq.store.notification.TaskNotificationRepository;
import dev.taskq.store.persistence.TaskAttemptRepository;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import dev.taskq.store.persistence.TaskQuestionRepository;
import dev.taskq.store.persistence.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The gateway's reads of tasks: one task in full, and the newest-first list. */
@ApplicationScoped
public class TaskQueries {

    private final TaskRepository tasks;
    private final TaskAttemptRepository attempts;
    private final TaskNotificationRepository notifications;
    private final TaskQuestionRepository questions;
    private final Duration workerLiveness;

    public TaskQueries(TaskRepository tasks, TaskAttemptRepository attempts, TaskNotificationRepository notifications,
                       TaskQuestionRepository questions, GatewayConfig config) {
        this.tasks = tasks;
        this.attempts = attempts;
        this.notifications = notifications;
        this.questions = questions;
        this.workerLiveness = config.workers().liveness();
    }

    @Transactional
    public Optional<TaskDetails> details(UUID id) {
        return tasks.findByIdOptional(id).map(this::detailsOf);
    }

    /** Details of a task this transaction just wrote (or cancelled), read in that same transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskDetails detailsOf(TaskEntity task) {
        List<UUID> dependsOn = tasks.dependenciesOf(task.id);
        String waitingReason = WaitingReason.of(task, dependsOn.size(), Instant.now(), workerLiveness,
                () -> poolWorkers(task.pool), () -> concurrencyKeyHolder(task.concurrencyKey, task.id));
        return new TaskDetails(task, dependsOn, attempts.listFor(task.id), notifications.listFor(task.id),
                questions.listFor(task.id), waitingReason);
    }

    /** How many workers ever declared the pool, and the newest heartbeat among them (the workers table is small). */
    private WaitingReason.PoolWorkers poolWorkers(String pool) {
        Object[] row = (Object[]) tasks.getEntityManager()
                .createNativeQuery("select count(*), max(last_seen_at) from workers where ?1 = any(pools)")
                .setParameter(1, pool)
                .getSingleResult();
        return new WaitingReason.PoolWorkers(((Number) row[0]).longValue(), instant(row[1]));
    }

    /** The in-flight task holding a concurrency key (served by tasks_concurrency_in_flight_idx). */
    private Optional<UUID> concurrencyKeyHolder(String key, UUID except) {
        return tasks.getEntityManager()
                .createQuery("""
                        select t.id from TaskEntity t
                        where t.concurrencyKey = :key and t.status in :inFlight and t.id <> :except""", UUID.class)
                .setParameter("key", key)
                .setParameter("inFlight", Set.of(TaskStatus.DISPATCHED, TaskStatus.RUNNING))
                .setParameter("except", except)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant instant -> instant;
            case Timestamp timestamp -> timestamp.toInstant();
            case OffsetDateTime offset -> offset.toInstant();
            default -> throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
        };
    }

    /**
     * Newest first, by keyset: the row-value comparison on (created_at, id) lets tasks_status_created_idx
     * (one status), tasks_submitted_by_session_idx (a session) or tasks_created_idx (none) serve each page without an
     * offset. {@code pool} and {@code submittedBySession} are null for any.
     */
    @Transactional
    public TaskListPage list(Set<TaskStatus> statuses, String pool, String submittedBySession, ListCursor after, int limit) {
        StringBuilder hql = new StringBuilder("from TaskEntity t where 1 = 1");
        if (submittedBySession != null) {
            hql.append(" and t.submittedBySession = :session");
        }
        if (!statuses.isEmpty()) {
            hql.append(" and t.status in :statuses");
        }
        if (pool != null) {
            hql.append(" and t.pool = :pool");
        }
        if (after != null) {
            hql.append(" and (t.createdAt, t.id) < (:afterCreatedAt, :afterId)");
        }
        hql.append(" order by t.createdAt desc, t.id desc");
        TypedQuery<TaskEntity> query = tasks.getEntityManager().createQuery(hql.toString(), TaskEntity.class);
        if (!statuses.isEmpty()) {
            query.setParameter("statuses", statuses);
        }
        if (pool != null) {
            query.setParameter("pool", pool);
        }
        if (submittedBySession != null) {
            query.setParameter("session", submittedBySession);
        }
        if (after != null) {
            query.setParameter("afterCreatedAt", after.createdAt());
            query.setParameter("afterId", after.id());
        }
        // One row more than asked tells whether another page follows.
        List<TaskEntity> rows = query.setMaxResults(limit + 1).getResultList();
        if (rows.size() <= limit) {
            return new TaskListPage(rows, pendingQuestions(rows), null);
        }
        List<TaskEntity> page = rows.subList(0, limit);
        TaskEntity last = page.getLast();
        return new TaskListPage(page, pendingQuestions(page), new ListCursor(last.createdAt, last.id));
    }

    /**
     * Tasks a Claude Code session submitted, newest first: those in {@code statuses} (any when empty) last changed at or
     * after {@code updatedSince} (any time when null). Served by tasks_submitted_by_session_idx. At most {@code limit};
     * {@code next} is non-null when more match.
     */
    @Transactional
    public TaskListPage delegatedBy(String session, Set<TaskStatus> statuses, Instant updatedSince, int limit) {
        StringBuilder hql = new StringBuilder("from TaskEntity t where t.submittedBySession = :session");
        if (!statuses.isEmpty()) {
            hql.append(" and t.status in :statuses");
        }
        if (updatedSince != null) {
            hql.append(" and t.updatedAt >= :since");
        }
        TypedQuery<TaskEntity> query = tasks.getEntityManager()
                .createQuery(hql.append(" order by t.createdAt desc, t.id desc").toString(), TaskEntity.class)
                .setParameter("session", session);
        if (!statuses.isEmpty()) {
            query.setParameter("statuses", statuses);
        }
        if (updatedSince != null) {
            query.setParameter("since", updatedSince);
        }
        return limited(query, limit);
    }

    /**
     * Tasks any Claude Code session other than {@code exceptSession} submitted that are in {@code statuses} and last
     * changed at or after {@code since}, most recently changed first. Served by tasks_delegated_updated_idx.
     */
    @Transactional
    public TaskListPage delegatedByOthersSince(String exceptSession, Set<TaskStatus> statuses, Instant since, int limit) {
        TypedQuery<TaskEntity> query = tasks.getEntityManager().createQuery("""
                        from TaskEntity t
                        where t.submittedBySession is not null and t.submittedBySession <> :session
                          and t.updatedAt >= :since and t.status in :statuses
                        order by t.updatedAt desc, t.id desc""", TaskEntity.class)
                .setParameter("session", exceptSession)
                .setParameter("since", since)
                .setParameter("statuses", statuses);
        return limited(query, limit);
    }

    /** Up to {@code limit} rows of {@code query} with their open questions; one row more than asked tells whether more match. */
    private TaskListPage limited(TypedQuery<TaskEntity> query, int limit) {
        List<TaskEntity> rows = query.setMaxResults(limit + 1).getResultList();
        List<TaskEntity> page = rows.size() <= limit ? rows : rows.subList(0, limit);
        ListCursor next = rows.size() <= limit ? null : new ListCursor(page.getLast().createdAt, page.getLast().id);
        return new TaskListPage(page, pendingQuestions(page), next);
    }

    /**
     * The open question of each WAITING_FOR_INPUT task among {@code page}, by task id: one query, and none when no task
     * of the page waits for an answer.
     */
    private Map<UUID, TaskQuestionEntity> pendingQuestions(List<TaskEntity> page) {
        Map<UUID, TaskEntity> waiting = new HashMap<>();
        page.stream().filter(task -> task.status == TaskStatus.WAITING_FOR_INPUT).forEach(task -> waiting.put(task.id, task));
        if (waiting.isEmpty()) {
            return Map.of();
        }
        Map<UUID, TaskQuestionEntity> pending = new HashMap<>();
        for (TaskQuestionEntity question : questions.list("key.taskId in ?1", waiting.keySet())) {
            TaskEntity task = waiting.get(question.key.taskId());
            TaskDetails.pendingQuestion(task, List.of(question)).ifPresent(open -> pending.put(task.id, open));
        }
        return pending;
    }
}
