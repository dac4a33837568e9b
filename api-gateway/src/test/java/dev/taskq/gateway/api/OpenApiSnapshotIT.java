package dev.taskq.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The API is a contract: the generated OpenAPI document must match the committed snapshot. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class OpenApiSnapshotIT {

    /** The snapshot's source path, relative to the module directory that Surefire runs in. */
    private static final Path SNAPSHOT = Path.of("src/test/resources/openapi-snapshot.json");
    private static final String UPDATE_PROPERTY = "openapi.snapshot.update";
    private static final int MAX_DIFFERENCES_SHOWN = 25;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void theGeneratedApiDocumentMatchesTheCommittedSnapshot() throws IOException {
        JsonNode generated = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());

        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(SNAPSHOT, JSON.writeValueAsString(generated) + "\n");
            return;
        }
        assertThat(SNAPSHOT).as("the snapshot at %s (create it with -D%s=true)", SNAPSHOT.toAbsolutePath(), UPDATE_PROPERTY)
                .exists();
        JsonNode committed = JSON.readTree(SNAPSHOT.toFile());
        if (!committed.equals(generated)) {
            List<String> differences = new ArrayList<>();
            diff("", committed, generated, differences);
            fail("The OpenAPI document no longer matches " + SNAPSHOT + ":\n  "
                    + String.join("\n  ", differences.subList(0, Math.min(differences.size(), MAX_DIFFERENCES_SHOWN)))
                    + (differences.size() > MAX_DIFFERENCES_SHOWN ? "\n  … and " + (differences.size() - MAX_DIFFERENCES_SHOWN) + " more" : "")
                    + "\nIf the API change is intended, rerun with -D" + UPDATE_PROPERTY + "=true"
                    + " (./mvnw -pl api-gateway verify -Dtest=OpenApiSnapshotIT -D" + UPDATE_PROPERTY + "=true),"
                    + " which rewrites the snapshot, and commit it with the change.");
        }
    }

    /** Lists the JSON pointers where the two documents differ. */
    private static void diff(String pointer, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!actual.has(name)) {
                    differences.add("removed " + child);
                } else if (!expected.has(name)) {
                    differences.add("added   " + child);
                } else {
                    diff(child, expected.get(name), actual.get(name), differences);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> left = expected.elements();
            Iterator<JsonNode> right = actual.elements();
            for (int i = 0; left.hasNext(); i++) {
                diff(pointer + "/" + i, left.next(), right.next(), differences);
            }
        } else {
            differences.add("changed " + (pointer.isEmpty() ? "/" : pointer) + ": " + abbreviate(expected) + " -> " + abbreviate(actual));
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
