package dev.taskq.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AuthenticationIT {

    @Test
    void aCallWithoutATokenIsUnauthorizedWithABearerChallenge() {
        given().get("/api/v1/tasks")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", is("https://taskq.dev/problems/unauthorized"))
                .body("status", is(401))
                .body("instance", is("/api/v1/tasks"));
    }

    @Test
    void aWrongTokenIsUnauthorizedAndNotEchoed() {
        given().auth().oauth2("guessed-token").get("/api/v1/tasks")
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body(not(containsString("guessed-token")));
    }

    @Test
    void anotherAuthenticationSchemeIsUnauthorized() {
        given().auth().preemptive().basic("test-token", "test-token").get("/api/v1/tasks")
                .then().statusCode(401);
    }

    @Test
    void aSubmissionWithoutATokenIsRejectedBeforeItsBodyIsRead() {
        given().contentType("application/json").body("{not even json").post("/api/v1/tasks")
                .then().statusCode(401);
    }

    @Test
    void healthMetricsAndTheApiDocumentAreOpen() {
        given().get("/q/health").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", startsWith("3."));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
