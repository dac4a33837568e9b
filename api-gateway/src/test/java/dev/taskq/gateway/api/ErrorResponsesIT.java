package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Routing and server failures answer with the same problem shape as validation does. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ErrorResponsesIT {

    @Test
    void anUnknownRouteIsNotFound() {
        client().get("/api/v1/nothing-here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", is("https://taskq.dev/problems/not-found"))
                .body("instance", is("/api/v1/nothing-here"));
    }

    @Test
    void anUnknownTaskIsNotFound() {
        UUID id = UUID.randomUUID();
        client().get("/api/v1/tasks/" + id)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", is("https://taskq.dev/problems/task-not-found"))
                .body("detail", containsString(id.toString()));
    }

    @Test
    void aTaskIdThatIsNoUuidIsABadRequestNamingTheId() {
        client().get("/api/v1/tasks/12345")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("id"))
                .body("errors[0].message", containsString("'12345'"));
    }

    @Test
    void aWrongMethodIsNotAllowedAndSaysWhichAre() {
        client().delete("/api/v1/tasks")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", containsString("POST"))
                .header("Allow", containsString("GET"))
                .body("type", is("https://taskq.dev/problems/method-not-allowed"));
        client().get("/api/v1/tasks/" + UUID.randomUUID() + "/cancel")
                .then().statusCode(405)
                .header("Allow", is("POST"));
    }

    @Test
    void anUnacceptableResponseTypeIsRefusedAsProblem() {
        client().accept("text/html").get("/api/v1/tasks")
                .then().statusCode(406)
                .contentType("application/problem+json");
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorThatRevealsNoInternals() {
        client().get(FailingResource.PATH)
                .then().statusCode(500)
                .contentType("application/problem+json")
                .body("type", is("https://taskq.dev/problems/internal"))
                .body("correlationId", notNullValue())
                .body("detail", containsString("correlation id"))
                .body(not(containsString(FailingResource.SECRET)))
                .body(not(containsString("IllegalStateException")));
    }
}
