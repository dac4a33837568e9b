package dev.taskq.worker.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.worker.WorkerLifecycle;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A worker that drains (as on SIGTERM) leaves the load balancer at once: not ready, still alive. */
@QuarkusTest
@TestProfile(WorkerDrainIT.OwnApplication.class)
@QuarkusTestResource(KafkaTestResource.class)
class WorkerDrainIT {

    /** Draining stops this application's loops for good, so it gets an application of its own. */
    public static class OwnApplication implements QuarkusTestProfile {}

    @Inject
    WorkerLifecycle lifecycle;

    @Test
    void aDrainingWorkerIsAliveButNotReadyAndSaysSoInItsMetrics() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("taskq_worker_slots{pool=\"default\",state=\"free\"} 2.0"))
                .body(containsString("taskq_worker_draining 0.0"));

        lifecycle.drain();

        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'worker' }.data.shuttingDown", equalTo(true));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().body(containsString("taskq_worker_draining 1.0"));
    }
}
