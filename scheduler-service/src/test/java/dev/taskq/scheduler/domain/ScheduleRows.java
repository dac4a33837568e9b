package dev.taskq.scheduler.domain;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Schedule and task rows written straight to the test database, as api-gateway and the other services would. */
final class ScheduleRows {

    private static final String TEMPLATE = """
            {"task": {"prompt": "scheduled work", "priority": 5, "dependsOn": [], "workingDir": null, "timeoutSeconds": 60,
                      "maxTurns": null, "model": null, "pool": "default", "metadata": {"source": "schedule"}, "maxAttempts": 3},
             "notifyTargets": []}""";

    private ScheduleRows() {}

    /** A schedule: either cron (with zone) or runAt; policies by their enum names. */
    record Spec(String name, String cron, Instant runAt, Instant nextFireAt, String missedRunPolicy, int maxCatchup,
                String overlapPolicy, Integer maxRuns, String status, UUID lastTaskId) {

        static Spec once(String name, Instant runAt) {
            return new Spec(name, null, runAt, runAt, "SKIP", 10, "SKIP", null, "ACTIVE", null);
        }

        static Spec cron(String name, String cron, Instant nextFireAt) {
            return new Spec(name, cron, null, nextFireAt, "SKIP", 10, "SKIP", null, "ACTIVE", null);
        }

        Spec missed(String policy, int catchup) {
            return new Spec(name, cron, runAt, nextFireAt, policy, catchup, overlapPolicy, maxRuns, status, lastTaskId);
        }

        Spec overlap(String policy, UUID previousTask) {
            return new Spec(name, cron, runAt, nextFireAt, missedRunPolicy, maxCatchup, policy, maxRuns, status, previousTask);
        }

        Spec maxRuns(int runs) {
            return new Spec(name, cron, runAt, nextFireAt, missedRunPolicy, maxCatchup, overlapPolicy, runs, status, lastTaskId);
        }

        Spec status(String newStatus) {
            return new Spec(name, cron, runAt, nextFireAt, missedRunPolicy, maxCatchup, overlapPolicy, maxRuns, newStatus, lastTaskId);
        }
    }

    static UUID insert(Spec spec) {
        return insert(spec, TEMPLATE, null);
    }

    /** A schedule whose runs create a task that depends on {@code dependsOn} (which may not exist). */
    static UUID insertDependingOn(Spec spec, UUID dependsOn) {
        return insert(spec, TEMPLATE.replace("\"dependsOn\": []", "\"dependsOn\": [\"" + dependsOn + "\"]"), null);
    }

    /**
     * A schedule whose runs create a workflow of three tasks: build, then test and lint after it (template ids are
     * fixed UUIDs, as the gateway stores them).
     */
    static UUID insertWorkflowSchedule(Spec spec) {
        String build = UUID.randomUUID().toString();
        String node = """
                {"templateId": "%s", "ref": "%s", "task": {"task": {"prompt": "%s", "priority": 5, "dependsOn": %s,
                  "timeoutSeconds": 60, "pool": "default", "metadata": {"source": "schedule"}, "maxAttempts": 1}, "notifyTargets": []}}""";
        String workflow = "{\"name\": \"nightly build\", \"metadata\": {\"team\": \"infra\"}, \"tasks\": ["
                + node.formatted(build, "build", "build it", "[]") + ", "
                + node.formatted(UUID.randomUUID(), "test", "test it", "[\"" + build + "\"]") + ", "
                + node.formatted(UUID.randomUUID(), "lint", "lint it", "[\"" + build + "\"]") + "]}";
        return insert(spec, null, workflow);
    }

    private static UUID insert(Spec spec, String taskTemplate, String workflowTemplate) {
        UUID id = UUID.randomUUID();
        update("""
                insert into schedules (id, name, status, cron, timezone, run_at, task_template, workflow_template, missed_run_policy,
                                       max_catchup, overlap_policy, max_runs, next_fire_at, last_task_id, created_at, updated_at)
                values (?, ?, ?, ?, 'UTC', ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, now(), now())""",
                id, spec.name(), spec.status(), spec.cron(), timestamp(spec.runAt()), taskTemplate, workflowTemplate,
                spec.missedRunPolicy(), spec.maxCatchup(), spec.overlapPolicy(), spec.maxRuns(), timestamp(spec.nextFireAt()),
                spec.lastTaskId());
        return id;
    }

    /**
     * Makes the schedulers' record say the last pass started at {@code lastPass} and no downtime was seen before: the
     * next pass finds a gap from there to its now (downtime when longer than the misfire threshold).
     */
    static void schedulersLastRanAt(Instant lastPass) {
        update("delete from scheduler_downtimes");
        update("""
                insert into scheduler_liveness (id, last_pass_at) values (1, ?)
                on conflict (id) do update set last_pass_at = excluded.last_pass_at""", timestamp(lastPass));
    }

    /** The schedule-run notices of one schedule in the outbox, as "KIND" strings in insertion order. */
    static List<String> notices(UUID scheduleId) {
        List<String> kinds = new ArrayList<>();
        try (Connection connection = PostgresTestResource.connect(); PreparedStatement statement = connection.prepareStatement("""
                select payload::jsonb->>'kind' from outbox where topic like '%schedule-runs' and record_key = ? order by id""")) {
            statement.setString(1, scheduleId.toString());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    kinds.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return kinds;
    }

    /** A pipeline step due at {@code runAt}, after the step {@code after} (null for the first). */
    static UUID insertPipelineStep(UUID pipelineId, int step, UUID after, Instant runAt, String status) {
        UUID id = insert(new Spec("pipeline step " + step, null, runAt, runAt, "CATCHUP", 1, "ALLOW", null, status, null));
        update("update schedules set pipeline_id = ?, pipeline_step = ?, after_schedule_id = ? where id = ?", pipelineId, step, after, id);
        return id;
    }

    static UUID insertTask(TaskStatus status) {
        UUID id = UUID.randomUUID();
        update("""
                insert into tasks (id, prompt, priority, effective_priority, status, pool, timeout_seconds, created_at, updated_at)
                values (?, 'an earlier run', 5, 5, ?, 'default', 60, now(), now())""", id, status.name());
        return id;
    }

    static long runs(UUID scheduleId, String outcome) {
        return TestDatabase.count("select count(*) from schedule_runs where schedule_id = ? and outcome = ?", scheduleId, outcome);
    }

    /** Tasks created by the schedule's runs (each run's task exists and is the run's own). */
    static long tasksOf(UUID scheduleId) {
        return TestDatabase.count("""
                select count(distinct t.id) from schedule_runs r join tasks t on t.id = r.task_id
                where r.schedule_id = ?""", scheduleId);
    }

    static String text(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant instant(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                Timestamp value = rows.next() ? rows.getTimestamp(1) : null;
                return value == null ? null : value.toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(String sql, Object... args) {
        try (Connection connection = PostgresTestResource.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
