package dev.taskq.dependency.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.domain.FailureCause;
import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.SessionResult;
import dev.taskq.store.persistence.TaskEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The task metrics dependency-service records as it releases tasks and applies worker events (see
 * docs/metrics.md). Tags are priority class, pool, outcome and model: never a task or worker id.
 */
@ApplicationScoped
public class TaskMetrics {

    /** Buckets of the latencies a user waits for: the SLOs are in the tens of milliseconds, the tail in seconds. */
    static final Duration[] LATENCY_SLOS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(15), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)};

    /** Sessions run from seconds to hours. */
    static final Duration[] DURATION_SLOS = {
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(6)};

    /** A session without a model of its own runs the CLI's default. */
    static final String DEFAULT_MODEL = "default";

    private final MeterRegistry registry;

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A QUEUED task got an attempt and a dispatch record. */
    public void released(TaskEntity task) {
        Tags tags = classAndPool(task);
        Counter.builder("taskq.tasks.released")
                .description("Attempts released to a dispatch topic (QUEUED -> DISPATCHED)")
                .tags(tags)
                .register(registry)
                .increment();
        if (task.readyAt != null && task.dispatchedAt != null) {
            Timer.builder("taskq.tasks.queue.wait")
                    .description("Time a task spent QUEUED before its release")
                    .tags(tags)
                    .serviceLevelObjectives(LATENCY_SLOS)
                    .register(registry)
                    .record(nonNegative(Duration.between(task.readyAt, task.dispatchedAt)));
        }
    }

    /** The worker started the session process at {@code startedAt}, by its own clock. */
    public void started(TaskEntity task, Instant startedAt) {
        if (task.readyAt == null || startedAt == null) {
            return;
        }
        Timer.builder("taskq.tasks.dispatch.latency")
                .description("Ready (QUEUED) to the worker's session process started")
                .tags(classAndPool(task))
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry)
                .record(nonNegative(Duration.between(task.readyAt, startedAt)));
    }

    /** A task reached a terminal status; {@code ranFrom}/{@code ranUntil} bound its last attempt's session, if it ran. */
    public void finished(TaskEntity task, TaskStatus outcome, Instant ranFrom, Instant ranUntil) {
        String outcomeTag = outcome.name().toLowerCase(Locale.ROOT);
        Counter.builder("taskq.tasks.finished")
                .description("Tasks that reached a terminal status, by outcome")
                .tags(classAndPool(task))
                .tag("outcome", outcomeTag)
                .register(registry)
                .increment();
        if (ranFrom != null && ranUntil != null) {
            Timer.builder("taskq.tasks.duration")
                    .description("Session run time of a task's last attempt, process start to finish")
                    .tag("pool", task.pool)
                    .tag("outcome", outcomeTag)
                    .serviceLevelObjectives(DURATION_SLOS)
                    .register(registry)
                    .record(nonNegative(Duration.between(ranFrom, ranUntil)));
        }
    }

    /**
     * A session asked a human a question: its task went WAITING_FOR_INPUT (not an ending, so not
     * {@code taskq.tasks.finished}; the task ends, and is counted there, after the answer).
     */
    public void askedForInput(TaskEntity task) {
        Counter.builder("taskq.tasks.questions")
                .description("Sessions that asked a human a question, parking their task WAITING_FOR_INPUT")
                .tags(classAndPool(task))
                .register(registry)
                .increment();
    }

    /**
     * A failed attempt, or one its worker handed back on shutdown, was queued for an automatic retry; {@code cause} is
     * why it ended.
     */
    public void retried(TaskEntity task, FailureCause cause) {
        Counter.builder("taskq.tasks.retried")
                .description("Failed attempts queued for an automatic retry, by failure cause")
                .tags(classAndPool(task))
                .tag("cause", cause.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /**
     * A dispatch waited unstarted in a shared topic (behind a full worker) while a live worker of its pool had a free
     * slot, and was re-sent to that worker directly as a new attempt.
     */
    public void dispatchRescued(TaskEntity task) {
        Counter.builder("taskq.dispatch.rescued")
                .description("Dispatches not picked up while a worker of their pool had a free slot, re-sent to it directly")
                .tag("pool", task.pool)
                .register(registry)
                .increment();
    }

    /** A dependent became ready {@code latency} after its last dependency's session finished. */
    public void dependentReleased(Duration latency) {
        Timer.builder("taskq.tasks.dependency.release.latency")
                .description("A dependency's session finished (worker clock) to its dependent QUEUED")
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry)
                .record(nonNegative(latency));
    }

    /**
     * Adds a session's cost and tokens. The CLI's per-model breakdown ({@code modelUsage}) is used when present,
     * so a session that delegated to a second model is split correctly; otherwise all goes to the task's model.
     */
    public void sessionUsage(TaskEntity task, SessionResult result) {
        if (result == null) {
            return;
        }
        JsonNode byModel = result.modelUsage();
        if (byModel != null && byModel.isObject() && !byModel.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> models = byModel.fields(); models.hasNext(); ) {
                Map.Entry<String, JsonNode> model = models.next();
                JsonNode usage = model.getValue();
                cost(model.getKey(), usage.path("costUSD").asDouble(0));
                tokens(model.getKey(), "input", usage.path("inputTokens").asLong(0));
                tokens(model.getKey(), "output", usage.path("outputTokens").asLong(0));
                tokens(model.getKey(), "cache_read", usage.path("cacheReadInputTokens").asLong(0));
                tokens(model.getKey(), "cache_creation", usage.path("cacheCreationInputTokens").asLong(0));
            }
            return;
        }
        String model = task.model == null || task.model.isBlank() ? DEFAULT_MODEL : task.model;
        BigDecimal cost = result.totalCostUsd();
        cost(model, cost == null ? 0 : cost.doubleValue());
        JsonNode usage = result.usage();
        if (usage != null) {
            tokens(model, "input", usage.path("input_tokens").asLong(0));
            tokens(model, "output", usage.path("output_tokens").asLong(0));
            tokens(model, "cache_read", usage.path("cache_read_input_tokens").asLong(0));
            tokens(model, "cache_creation", usage.path("cache_creation_input_tokens").asLong(0));
        }
    }

    private void cost(String model, double usd) {
        // Registered even at 0, so a fleet of free sessions still shows the series (and the dashboard a 0).
        Counter.builder("taskq.sessions.cost.usd")
                .description("Cost of finished sessions as the CLI reported it, in US dollars")
                .tag("model", model)
                .register(registry)
                .increment(Math.max(0, usd));
    }

    private void tokens(String model, String kind, long count) {
        Counter.builder("taskq.sessions.tokens")
                .description("Tokens of finished sessions, by model and kind")
                .tag("model", model)
                .tag("kind", kind)
                .register(registry)
                .increment(Math.max(0, count));
    }

    private static Tags classAndPool(TaskEntity task) {
        return Tags.of("priority.class", PriorityClass.of(task.priority).name(), "pool", task.pool);
    }

    private static Duration nonNegative(Duration duration) {
        // Worker and service clocks differ by a little: a negative span is skew, not a measurement.
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
