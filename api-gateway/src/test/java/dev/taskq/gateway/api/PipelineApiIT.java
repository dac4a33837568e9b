package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PipelineApiIT {

    @Test
    void eachStepIsAOneTimeScheduleFiringItsDelayAfterThePreviousOne() {
        Instant before = Instant.now();
        JsonPath pipeline = client().body("""
                        {"name": "release", "steps": [
                          {"task": {"prompt": "build"}, "delaySeconds": 60},
                          {"task": {"prompt": "test", "pool": "default"}, "delaySeconds": 30},
                          {"task": {"prompt": "ship"}}]}""")
                .post("/api/v1/pipelines").then().statusCode(201)
                .body("steps.size()", equalTo(3))
                .body("steps[0].name", equalTo("release step 1"))
                .body("steps[2].pipelineStep", equalTo(3))
                .body("steps[1].task.prompt", equalTo("test"))
                .extract().jsonPath();

        Instant first = Instant.parse(pipeline.getString("steps[0].runAt"));
        assertThat(first).isBetween(before.plusSeconds(60), Instant.now().plusSeconds(60));
        assertThat(Instant.parse(pipeline.getString("steps[1].runAt"))).isEqualTo(first.plusSeconds(30));
        assertThat(Instant.parse(pipeline.getString("steps[2].runAt"))).isEqualTo(first.plusSeconds(30));
        String id = pipeline.getString("id");
        assertThat(TestDatabase.count("select count(*) from schedules where pipeline_id = ?::uuid and after_schedule_id is not null", id))
                .isEqualTo(2);
        assertThat(Duration.between(first, Instant.parse(pipeline.getString("steps[0].nextFireAt")))).isZero();

        client().get("/api/v1/pipelines/" + id).then().statusCode(200).body("steps.size()", equalTo(3))
                .body("steps[0].id", equalTo(pipeline.getString("steps[0].id")));
        client().get("/api/v1/pipelines/" + UUID.randomUUID()).then().statusCode(404);
    }

    @ParameterizedTest(name = "{0} → 422 naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "name": "p", "steps": []                                                      | steps
            "name": "p"                                                                   | steps
            "steps": [{"task": {"prompt": "a"}}]                                          | name
            "name": "p", "steps": [{"task": {"prompt": "a"}}, {"task": {"prompt": ""}}]   | steps[1].task.prompt
            "name": "p", "steps": [{"task": {"prompt": "a", "priority": "urgent"}}]       | steps[0].task.priority
            "name": "p", "steps": [{"task": {"prompt": "a"}, "delaySeconds": -1}]         | steps[0].delaySeconds
            "name": "p", "steps": [{"delaySeconds": 5}]                                   | steps[0].task
            """)
    void anInvalidPipelineIsRefusedNamingTheFieldAndNothingIsWritten(String fields, String field) {
        long before = TestDatabase.count("schedules");

        client().body("{" + fields + "}").post("/api/v1/pipelines").then().statusCode(422)
                .contentType(ProblemMappers.PROBLEM_JSON)
                .body("errors.field", hasItem(field));

        assertThat(TestDatabase.count("schedules")).isEqualTo(before);
    }
}
