package dev.taskq.scheduler.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TcpForwarder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness follows Postgres: DOWN while the database cannot be reached, UP again once it can. */
@QuarkusTest
@TestProfile(DatabaseReadinessIT.OwnApplication.class)
class DatabaseReadinessIT {

    private static final Duration SOON = Duration.ofSeconds(30);

    /** The proxy's port is this application's JDBC URL, so it gets an application of its own. */
    public static class OwnApplication implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(ThroughProxy.class));
        }
    }

    /**
     * The test database, reached through a proxy the test can cut. Quarkus may load this resource and the test in
     * different class loaders, so the switch is a system property the proxy watches.
     */
    public static class ThroughProxy implements QuarkusTestResourceLifecycleManager {
        static final String SWITCH = "taskq.test.postgres-proxy.reachable";
        private TcpForwarder proxy;

        @Override
        public Map<String, String> start() {
            Map<String, String> database = new PostgresTestResource().start();
            URI direct = URI.create(database.get("quarkus.datasource.jdbc.url").substring("jdbc:".length()));
            try {
                proxy = TcpForwarder.to(new InetSocketAddress(direct.getHost(), direct.getPort()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(SWITCH, "true");
            TcpForwarder started = proxy;
            Thread.ofVirtual().name("proxy-switch").start(() -> {
                while (true) {
                    try {
                        if (Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
                            started.start();
                        } else {
                            started.stop();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Map<String, String> config = new java.util.HashMap<>(database);
            config.put("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + direct.getRawPath()
                            + (direct.getRawQuery() == null ? "" : "?" + direct.getRawQuery()));
            return config;
        }

        @Override
        public void stop() {
            proxy.close();
        }
    }

    @Test
    void readinessGoesDownWhilePostgresIsUnreachableAndComesBackWithIt() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().body(containsString("taskq_schedule_fire_lateness_seconds_count 0"));

        databaseReachable(false);
        await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name.contains('Database') }.status", equalTo("DOWN")));
        // Liveness is about the process, not its dependencies: a restart would not bring Postgres back.
        given().get("/q/health/live").then().statusCode(200);

        databaseReachable(true);
        await().atMost(SOON).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static void databaseReachable(boolean reachable) {
        System.setProperty(ThroughProxy.SWITCH, Boolean.toString(reachable));
    }
}
