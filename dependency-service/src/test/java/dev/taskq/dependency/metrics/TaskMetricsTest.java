package dev.taskq.dependency.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.SessionResult;
import dev.taskq.store.persistence.TaskEntity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TaskMetrics metrics = new TaskMetrics(registry);

    @Test
    void costAndTokensAreSplitByModelWhenTheCliReportsModelUsage() throws Exception {
        SessionResult result = result(new BigDecimal("0.30"), JSON.readTree("""
                {"claude-opus":  {"inputTokens": 100, "outputTokens": 20, "cacheReadInputTokens": 5, "costUSD": 0.25},
                 "claude-haiku": {"inputTokens": 40,  "outputTokens": 4,  "costUSD": 0.05}}"""));

        metrics.sessionUsage(task(null), result);

        assertThat(registry.get("taskq.sessions.cost.usd").tag("model", "claude-opus").counter().count()).isEqualTo(0.25);
        assertThat(registry.get("taskq.sessions.cost.usd").tag("model", "claude-haiku").counter().count()).isEqualTo(0.05);
        assertThat(registry.get("taskq.sessions.tokens").tags("model", "claude-opus", "kind", "input").counter().count()).isEqualTo(100);
        assertThat(registry.get("taskq.sessions.tokens").tags("model", "claude-opus", "kind", "cache_read").counter().count()).isEqualTo(5);
        assertThat(registry.get("taskq.sessions.tokens").tags("model", "claude-haiku", "kind", "output").counter().count()).isEqualTo(4);
    }

    @Test
    void withoutModelUsageEverythingGoesToTheTasksModelOrTheDefault() throws Exception {
        SessionResult result = new SessionResult("success", false, 1, new BigDecimal("0.10"),
                JSON.readTree("{\"input_tokens\": 7, \"output_tokens\": 3}"), null, null, "ok", null, 10L);

        metrics.sessionUsage(task(null), result);

        assertThat(registry.get("taskq.sessions.cost.usd").tag("model", "default").counter().count()).isEqualTo(0.10);
        assertThat(registry.get("taskq.sessions.tokens").tags("model", "default", "kind", "input").counter().count()).isEqualTo(7);
    }

    @Test
    void dispatchLatencyIsReadyToStartAndClockSkewNeverMakesItNegative() {
        TaskEntity task = task(null);
        task.readyAt = Instant.parse("2026-01-01T00:00:00Z");

        metrics.started(task, task.readyAt.plusMillis(12));
        metrics.started(task, task.readyAt.minusMillis(3));

        var timer = registry.get("taskq.tasks.dispatch.latency").tags("priority.class", "P0", "pool", "gpu").timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(12);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12);
    }

    @Test
    void aFinishedTaskIsCountedByOutcomeClassAndPoolWithItsRunTime() {
        Instant started = Instant.parse("2026-01-01T00:00:00Z");

        metrics.finished(task(null), TaskStatus.TIMED_OUT, started, started.plus(Duration.ofMinutes(2)));
        metrics.finished(task(null), TaskStatus.FAILED, null, null);

        assertThat(registry.get("taskq.tasks.finished").tags("outcome", "timed_out", "priority.class", "P0", "pool", "gpu")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("taskq.tasks.duration").tags("outcome", "timed_out", "pool", "gpu").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(120);
        assertThat(registry.find("taskq.tasks.duration").tags("outcome", "failed").timer())
                .as("a task whose worker vanished has no run time").isNull();
    }

    private static TaskEntity task(String model) {
        TaskEntity task = new TaskEntity();
        task.priority = 10;
        task.pool = "gpu";
        task.model = model;
        return task;
    }

    private static SessionResult result(BigDecimal cost, com.fasterxml.jackson.databind.JsonNode modelUsage) {
        return new SessionResult("success", false, 1, cost, null, modelUsage, null, "ok", null, 10L);
    }
}
