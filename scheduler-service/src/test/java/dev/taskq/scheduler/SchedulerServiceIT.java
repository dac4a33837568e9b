package dev.taskq.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SchedulerServiceIT {

    @Test
    void itBootsAgainstPostgresWithTheSharedSchemaAndReportsReady() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(TestDatabase.count("select count(*) from flyway_schema_history where success")).isPositive();
    }
}
