package dev.taskq.worker.messaging;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.domain.SessionOutcome;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.SessionFinished;
import dev.taskq.common.event.SessionLog;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.testsupport.ClaudeBinary;
import dev.taskq.testsupport.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RealClaudeProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
class RealClaudeSessionIT {

    @Inject
    TopicNames topics;

    @Test
    void theRealCliAcceptsTheWorkersArgvAndRunsABashToolToSuccess() throws InterruptedException {
        ClaudeBinary.assumePresent();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        TaskDispatch dispatch = aDispatch().prompt("Run echo hello").timeoutSeconds(120).build();

        try (KafkaProbe probe = KafkaProbe.start(KafkaTestResource.bootstrapServers(), topics)) {
            probe.dispatch(dispatch);
            SessionFinished finished = probe.awaitFinished(dispatch.taskId(), 1, Duration.ofSeconds(120));

            List<LogLine> lines = probe.events(dispatch.taskId(), 1).stream()
                    .filter(SessionLog.class::isInstance)
                    .flatMap(event -> ((SessionLog) event).lines().stream())
                    .toList();
            assertThat(finished.outcome()).as("%s, logs %s", finished.reason(), lines).isEqualTo(SessionOutcome.SUCCEEDED);
            assertThat(lines).extracting(LogLine::kind, LogLine::text).contains(
                    tuple(LogKind.TOOL_USE, "Bash: echo hello"),
                    tuple(LogKind.TOOL_RESULT, "hello"));
            assertThat(finished.result().resultText()).isEqualTo("done");
            assertThat(finished.result().totalCostUsd()).isGreaterThan(BigDecimal.ZERO);
            assertThat(finished.result().sessionId()).isEqualTo(dispatch.sessionId().toString());
            assertThat(finished.exitCode()).isZero();
        }
    }
}
