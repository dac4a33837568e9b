package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.localinfra.stack.ServiceProcess;
import dev.taskq.testsupport.FakeClaude;
import dev.taskq.testsupport.HttpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet under the faults it must survive, on the whole system with several worker processes (the fake claude):
 * a worker killed with SIGKILL mid-session, a worker frozen until its attempt is re-dispatched and then let go (a
 * zombie), a worker drained with SIGTERM, and the Kafka broker restarted while tasks flow. Each ends with every
 * accepted task completed exactly once: one SUCCEEDED attempt, the others recorded with why they ended. And
 * notifier-service killed with SIGKILL mid-retry: every pending delivery is sent once it is back.
 */
class FleetFaultsIT {

    private static final Duration DONE = Duration.ofSeconds(90);
    private static final int WORKERS = 2;

    private static RunningStack system;
    private static Path sessionArguments;
    private static int workersStarted = WORKERS;

    @BeforeAll
    static void startSystem() throws Exception {
        Path bin = Files.createTempDirectory("taskq-faults-bin");
        Path claude = FakeClaude.install(bin);
        sessionArguments = bin.resolve("sessions.log");
        system = RunningStack.start(claude, null, WORKERS, 2, Map.of(
                // Workers hand back what has not finished 3 s after SIGTERM, so the drain test does not wait the default.
                "taskq.worker.shutdown-grace", "3s",
                // The fake claude writes each session's arguments (the prompt among them) here.
                "taskq.worker.claude.extra-env.FAKE_CLAUDE_LOG", sessionArguments.toString()));
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    /** Each test may take a worker away; the next one starts with the full fleet again. */
    @BeforeEach
    void fullFleet() throws Exception {
        long alive = system.stack.workers().stream().filter(ServiceProcess::isAlive).count();
        for (long i = alive; i < WORKERS; i++) {
            system.stack.addWorker(workersStarted++);
        }
    }

    @Test
    void aWorkerKilledMidSessionLosesNothingAndTheTaskCompletesOnceElsewhere() throws Exception {
        UUID task = submit("Killed mid-session [fake:sleep=6]", 3);
        awaitStatus(task, "RUNNING");
        ServiceProcess holder = system.workerRunning(task);

        holder.kill();

        awaitStatus(task, "SUCCEEDED");
        List<Attempt> attempts = attemptsOf(task);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).status()).isEqualTo("FAILED");
        assertThat(attempts.get(0).failureCause()).isEqualTo("WORKER_LOST");
        assertThat(attempts.get(1).status()).isEqualTo("SUCCEEDED");
        assertThat(attempts.get(1).workerId()).isNotEqualTo(attempts.get(0).workerId());
    }

    @Test
    void aFrozenWorkerThatComesBackIsFencedOffAndItsLateEventsChangeNothing() throws Exception {
        // Longer than the test: the zombie's session can only end by being fenced off.
        UUID task = submit("Frozen mid-session [fake:sleep=300]", 3);
        awaitStatus(task, "RUNNING");
        ServiceProcess zombie = system.workerRunning(task);
        long zombieSession = system.sessionPid(task);

        zombie.freeze();
        try {
            // Its lease runs out and the task runs again on the other worker.
            await().atMost(DONE).until(() -> attemptsOf(task).size() == 2 && "RUNNING".equals(attemptsOf(task).get(1).status()));
        } finally {
            zombie.unfreeze();
        }

        // Back, its heartbeats still name the stale attempt: it is told to kill that session.
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(zombieSession).map(p -> !p.isAlive()).orElse(true));
        // What it reports about the killed session changes nothing: the task still runs its second attempt.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(system.status(task)));
        List<Attempt> attempts = attemptsOf(task);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).status()).as("the zombie's late ending does not rewrite the lost attempt").isEqualTo("FAILED");
        assertThat(attempts.get(0).failureCause()).isEqualTo("WORKER_LOST");
        assertThat(attempts.get(1).status()).isEqualTo("RUNNING");
        assertThat(zombie.isAlive()).as("fenced, not crashed").isTrue();
        system.api().post("/api/v1/tasks/" + task + "/cancel").then().statusCode(200);
    }

    @Test
    void aDrainedWorkerFinishesShortSessionsAndHandsLongOnesBackToBeCompletedElsewhere() throws Exception {
        UUID shortTask = submit("Short while draining [fake:sleep=1]", 1);
        UUID longTask = submit("Long while draining [fake:sleep=15]", 1);
        awaitStatus(longTask, "RUNNING");
        ServiceProcess drained = system.workerRunning(longTask);

        drained.stop(Duration.ofSeconds(60));

        awaitStatus(shortTask, "SUCCEEDED");
        awaitStatus(longTask, "SUCCEEDED");
        List<Attempt> attempts = attemptsOf(longTask);
        assertThat(attempts).as("handed back even though the task allows one attempt").hasSize(2);
        assertThat(attempts.get(0).failureCause()).isEqualTo("DRAINED");
        assertThat(attempts.get(0).checkpoint()).as("handed back with a checkpoint").contains("\"lastLines\"");
        assertThat(attempts.get(1).status()).isEqualTo("SUCCEEDED");
        assertThat(drained.isAlive()).isFalse();
        // The next attempt's session was told where the first one stopped.
        assertThat(Files.readString(sessionArguments)).contains("Long while draining", "interrupted");
    }

    @Test
    void aKafkaRestartWhileTasksFlowLosesNoTaskAndCompletesNoneTwice() throws Exception {
        List<ServiceProcess> running = system.stack.allServices().stream().filter(ServiceProcess::isAlive).toList();
        List<UUID> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(submit("Before the broker restart " + i + " [fake:sleep=1]", 3));
        }

        system.stack.restartKafka(Duration.ofSeconds(3));
        for (int i = 0; i < 12; i++) {
            tasks.add(submit("After the broker restart " + i + " [fake:sleep=1]", 3));
        }

        for (UUID task : tasks) {
            awaitStatus(task, "SUCCEEDED");
        }
        for (UUID task : tasks) {
            assertThat(attemptsOf(task).stream().filter(a -> a.status().equals("SUCCEEDED")).count())
                    .as("task %s completed exactly once", task).isEqualTo(1);
        }
        assertThat(running).as("no service died of the restart").allMatch(ServiceProcess::isAlive);
    }

    /**
     * notifier-service killed with SIGKILL while its deliveries wait for their next retry (the receiver answered 503);
     * a new notifier process sends every one of them, the receiver answering 429 with Retry-After and then 204: each
     * webhook-id succeeds once, nothing is lost. The events are real: cancels through the API of tasks and of a
     * workflow in a pool no worker serves (task.cancelled and workflow.finished).
     */
    @Test
    void aNotifierKilledMidRetryLosesNoDeliveryAndTheNextOneSendsEachOnce() throws Exception {
        Map<String, Integer> tries = new ConcurrentHashMap<>();
        Map<String, Integer> successes = new ConcurrentHashMap<>();
        try (HttpReceiver receiver = HttpReceiver.start()) {
            receiver.byDefault(request -> {
                String id = request.header("webhook-id");
                int attempt = tries.merge(id, 1, Integer::sum);
                if (attempt == 1) {
                    return HttpReceiver.Answer.of(503, "{\"error\":\"down for maintenance\"}");
                }
                if (attempt == 2) {
                    return HttpReceiver.Answer.of(429, "{\"error\":\"slow down\"}").header("Retry-After", "1");
                }
                successes.merge(id, 1, Integer::sum);
                return HttpReceiver.Answer.noContent();
            });
            String pool = "notifier-kill";
            String name = "kill-test-" + UUID.randomUUID().toString().substring(0, 8);
            String destination = system.api().body(Map.of("name", name, "type", "webhook",
                            "config", Map.of("url", receiver.url("/hooks/taskq"), "secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                    .post("/api/v1/notification-destinations").then().statusCode(201).extract().path("id");
            system.api().body(Map.of("destination", name, "eventTypes", List.of("TASK_CANCELLED", "WORKFLOW_FINISHED"), "pool", pool))
                    .post("/api/v1/subscriptions").then().statusCode(201);
            String workflow = system.api().body(Map.of("name", "never runs", "tasks", List.of(
                            Map.of("ref", "first", "prompt", "p", "pool", pool),
                            Map.of("ref", "second", "prompt", "p", "pool", pool, "dependsOn", List.of("first")))))
                    .post("/api/v1/workflows").then().statusCode(201).extract().path("id");
            List<String> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(system.api().body(Map.of("prompt", "never runs " + i, "pool", pool)).post("/api/v1/tasks")
                        .then().statusCode(201).extract().path("id"));
            }
            system.api().post("/api/v1/workflows/" + workflow + "/cancel").then().statusCode(200);
            for (String task : tasks) {
                system.api().post("/api/v1/tasks/" + task + "/cancel").then().statusCode(200);
            }
            // 2 + 3 task.cancelled and 1 workflow.finished.
            int expected = 6;

            await().atMost(DONE).pollInterval(Duration.ofMillis(100)).until(() -> firstTriesAnswered(destination) == expected);
            ServiceProcess notifier = system.stack.service("notifier-service");
            notifier.kill();
            assertThat(notifier.isAlive()).isFalse();
            long waitingAtKill = deliveriesIn(destination, "PENDING");
            assertThat(waitingAtKill).as("deliveries waiting for a retry when the notifier died").isPositive();

            system.stack.restart("notifier-service");

            // A send cut off by the kill is sent again once its claim times out (taskq.notifier.delivery.claim-timeout, 2 min).
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
                    .until(() -> deliveriesIn(destination, "DELIVERED") == expected);
            assertThat(successes).hasSize(expected).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
            assertThat(tries).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(3));
            assertThat(receiver.requests()).anySatisfy(request -> assertThat(request.body())
                    .contains("\"type\":\"workflow.finished\"", workflow, "\"status\":\"CANCELLED\""));
        }
    }

    /** Deliveries to the destination with at least one attempt recorded. */
    private static long firstTriesAnswered(String destination) throws SQLException {
        return count("""
                select count(distinct d.id) from notification_deliveries d join notification_attempts a on a.delivery_id = d.id
                where d.destination_id = ?::uuid""", destination);
    }

    private static long deliveriesIn(String destination, String status) throws SQLException {
        return count("select count(*) from notification_deliveries where destination_id = ?::uuid and status = '" + status + "'",
                destination);
    }

    private static long count(String sql, String argument) throws SQLException {
        try (Connection connection = system.database(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, argument);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static UUID submit(String prompt, int maxAttempts) {
        String id = system.api()
                .body(Map.of("prompt", prompt, "timeoutSeconds", 300,
                        "retry", Map.of("maxAttempts", maxAttempts, "initialBackoffSeconds", 1)))
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .extract().path("id");
        return UUID.fromString(id);
    }

    private static void awaitStatus(UUID task, String status) {
        await().atMost(DONE).pollInterval(Duration.ofMillis(250))
                .until(() -> status.equals(system.status(task)));
    }

    private record Attempt(int number, String status, String workerId, String failureCause, String checkpoint) {}

    private static List<Attempt> attemptsOf(UUID task) throws SQLException {
        try (Connection connection = system.database();
                PreparedStatement query = connection.prepareStatement("""
                        select attempt, status, worker_id, failure_cause, checkpoint::text from task_attempts
                        where task_id = ? order by attempt""")) {
            query.setObject(1, task);
            List<Attempt> attempts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    attempts.add(new Attempt(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5)));
                }
            }
            return attempts;
        }
    }
}
