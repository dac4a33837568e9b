package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.taskq.testsupport.TcpForwarder;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While Postgres cannot be reached every API call answers 503 problem+json with Retry-After, never 500, and readiness is
 * DOWN; once it is back the gateway serves again by itself. The application reaches the test database through a
 * forwarder the test stops and starts.
 */
@QuarkusTest
@TestProfile(DatabaseOutageIT.ThroughForwarder.class)
class DatabaseOutageIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final String NEW_TASK = "{\"prompt\": \"Survive a database restart\"}";

    /** The forwarder's port is this application's JDBC URL, so it gets an application of its own. */
    public static class ThroughForwarder implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ForwardedDatabase.class));
        }
    }

    /**
     * The test database behind a {@link TcpForwarder}. Quarkus may load this resource and the test in different class
     * loaders, so the test switches the forwarder through a system property it watches.
     */
    public static class ForwardedDatabase implements QuarkusTestResourceLifecycleManager {
        static final String RUNNING = "taskq.test.database-forwarder.running";
        private TcpForwarder forwarder;
        private Thread watcher;

        @Override
        public Map<String, String> start() {
            Map<String, String> database = new PostgresTestResource().start();
            URI direct = URI.create(database.get("quarkus.datasource.jdbc.url").substring("jdbc:".length()));
            try {
                forwarder = TcpForwarder.to(new InetSocketAddress(direct.getHost(), direct.getPort()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(RUNNING, "true");
            TcpForwarder started = forwarder;
            watcher = Thread.ofVirtual().name("database-forwarder-switch").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        if (Boolean.parseBoolean(System.getProperty(RUNNING, "true"))) {
                            started.start();
                        } else {
                            started.stop();
                        }
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        // The port could not be bound again yet: the next round tries again.
                    }
                }
            });
            Map<String, String> config = new HashMap<>(database);
            config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + forwarder.port() + direct.getRawPath()
                    + (direct.getRawQuery() == null ? "" : "?" + direct.getRawQuery()));
            return config;
        }

        @Override
        public void stop() {
            watcher.interrupt();
            forwarder.close();
        }
    }

    @AfterEach
    void databaseBack() {
        databaseReachable(true);
    }

    @Test
    void everyCallAnswers503WhileThePostgresIsAwayAndSucceedsAgainOnceItIsBack() {
        String task = client().body(NEW_TASK).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        given().get("/q/health/ready").then().statusCode(200);

        databaseReachable(false);
        await().atMost(SOON).untilAsserted(() -> unavailable(client().get("/api/v1/tasks/" + task).then()));
        unavailable(client().body(NEW_TASK).post("/api/v1/tasks").then());
        unavailable(client().get("/api/v1/tasks").then());
        unavailable(client().body("{\"answer\": \"yes\"}").post("/api/v1/tasks/" + UUID.randomUUID() + "/answer").then());
        unavailable(client().get("/api/v1/workers").then());
        await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name.contains('Database') }.status", equalTo("DOWN")));
        // Liveness is about the process: restarting the gateway would not bring Postgres back.
        given().get("/q/health/live").then().statusCode(200);

        databaseReachable(true);
        await().atMost(SOON).untilAsserted(() -> client().body(NEW_TASK).post("/api/v1/tasks").then().statusCode(201));
        client().get("/api/v1/tasks/" + task).then().statusCode(200).body("id", is(task));
        client().get("/api/v1/tasks").then().statusCode(200);
        await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static void unavailable(ValidatableResponse response) {
        response.statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", is("https://taskq.dev/problems/database-unavailable"))
                .body("status", is(503))
                .body("detail", containsString("The database is unavailable"));
    }

    private static void databaseReachable(boolean reachable) {
        System.setProperty(ForwardedDatabase.RUNNING, Boolean.toString(reachable));
    }
}
