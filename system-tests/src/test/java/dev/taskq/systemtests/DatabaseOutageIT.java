package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.localinfra.stack.ServiceProcess;
import dev.taskq.testsupport.FakeClaude;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Postgres stopped and started again while tasks run, on a stack with an embedded Postgres of its own (the machine's
 * server is never touched): the gateway answers 503 with Retry-After meanwhile, never 500; afterwards every service
 * goes on without a restart and every accepted task completes exactly once.
 */
class DatabaseOutageIT {

    private static RunningStack system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = RunningStack.start(FakeClaude.install(Files.createTempDirectory("taskq-outage-bin")), null, 1, 2,
                Map.of(), true);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void whilePostgresIsDownTheApiAnswers503AndAfterwardsEverythingGoesOnWithoutARestart() throws Exception {
        List<UUID> accepted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            accepted.add(submit("Runs across a database outage " + i + " [fake:sleep=3]"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(system.status(accepted.get(0))));
        Map<String, Long> pids = new java.util.HashMap<>();
        system.stack.allServices().forEach(service -> pids.put(service.name(), service.pid()));

        system.stack.stopPostgres();
        try {
            system.api().body(Map.of("prompt", "during the outage")).post("/api/v1/tasks")
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue());
            system.api().get("/api/v1/tasks/" + accepted.get(0))
                    .then().statusCode(503)
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue());
            // Sessions end while the database is away: their outcomes wait in Kafka, not in memory that could be lost.
            Thread.sleep(6_000);
        } finally {
            system.stack.startPostgres();
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> system.api().body(Map.of("prompt", "after the outage [fake:sleep=1]")).post("/api/v1/tasks")
                        .then().extract().statusCode() == 201);
        for (UUID task : accepted) {
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> "SUCCEEDED".equals(system.status(task)));
            assertThat(succeededAttempts(task)).as("task %s completed exactly once", task).isEqualTo(1);
        }
        for (ServiceProcess service : system.stack.allServices()) {
            assertThat(service.isAlive()).as(service.name() + " still runs").isTrue();
            assertThat(service.pid()).as(service.name() + " was not restarted").isEqualTo(pids.get(service.name()));
        }
    }

    private static UUID submit(String prompt) {
        String id = system.api()
                .body(Map.of("prompt", prompt, "timeoutSeconds", 300))
                .post("/api/v1/tasks")
                .then().statusCode(201)
                .extract().path("id");
        return UUID.fromString(id);
    }

    private static long succeededAttempts(UUID task) throws Exception {
        try (Connection connection = system.database();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from task_attempts where task_id = ? and status = 'SUCCEEDED'")) {
            query.setObject(1, task);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
