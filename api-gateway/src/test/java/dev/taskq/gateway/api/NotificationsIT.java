package dev.taskq.gateway.api;

import static dev.taskq.gateway.Fixtures.client;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.Fixtures;
import dev.taskq.testsupport.PostgresTestResource;
import dev.taskq.testsupport.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Destinations, subscriptions, notify entries and deliveries: secrets go in and never come out. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class NotificationsIT {

    private static final String DESTINATIONS = "/api/v1/notification-destinations";
    private static final String SUBSCRIPTIONS = "/api/v1/subscriptions";
    private static final String DELIVERIES = "/api/v1/notification-deliveries";
    private static final String DISCORD_TOKEN = "Zq3xSecretDiscordTokenValue";
    private static final String BOT_TOKEN_TAIL = "AAHsecretTelegramTokenTail0123456789";
    private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static String uniqueName() {
        return "d-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String discordBody(String name) {
        return "{\"name\":\"" + name + "\",\"type\":\"discord\",\"config\":{\"webhookUrl\":\"https://discord.com/api/webhooks/123/" + DISCORD_TOKEN + "\"}}";
    }

    private static ExtractableResponse<Response> created(String body) {
        return client().body(body).post(DESTINATIONS).then().statusCode(201).extract();
    }

    @Test
    void aDestinationIsCreatedListedShownAndDeletedWithoutItsSecretEverAppearing() {
        String name = uniqueName();
        ExtractableResponse<Response> create = created(discordBody(name));
        String id = create.path("id");
        assertThat(create.header("Location")).endsWith(DESTINATIONS + "/" + id);
        assertThat(create.asString()).doesNotContain(DISCORD_TOKEN).contains("\"secretConfigured\":true", "https://discord.com/****");

        String list = client().get(DESTINATIONS).then().statusCode(200).body("name", hasItem(name)).extract().asString();
        String one = client().get(DESTINATIONS + "/" + id).then().statusCode(200)
                .body("type", equalTo("discord")).body("enabled", is(true)).extract().asString();
        assertThat(list).doesNotContain(DISCORD_TOKEN);
        assertThat(one).doesNotContain(DISCORD_TOKEN);

        client().delete(DESTINATIONS + "/" + id).then().statusCode(204);
        client().get(DESTINATIONS + "/" + id).then().statusCode(404).contentType("application/problem+json");
        client().delete(DESTINATIONS + "/" + id).then().statusCode(404);
    }

    @Test
    void telegramAndWebhookSecretsAreWriteOnlyToo() {
        String telegram = created("{\"name\":\"" + uniqueName() + "\",\"type\":\"telegram\",\"config\":{\"botToken\":\"123456:" + BOT_TOKEN_TAIL
                + "\",\"chatId\":\"-100987\",\"messageThreadId\":5,\"parseMode\":\"MarkdownV2\"}}").asString();
        assertThat(telegram).doesNotContain(BOT_TOKEN_TAIL).contains("\"secretHint\":\"123456:****\"", "\"chatId\":\"-100987\"");
        String webhook = created("{\"name\":\"" + uniqueName() + "\",\"type\":\"webhook\",\"config\":{\"url\":\"https://hooks.example.com/in?token=abc\",\"secret\":\""
                + WEBHOOK_SECRET + "\"}}").asString();
        assertThat(webhook).doesNotContain(WEBHOOK_SECRET.substring(6)).doesNotContain("token=abc").contains("https://hooks.example.com/****");
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a Discord URL over http            | config.webhookUrl | https      | {"name":"%s","type":"discord","config":{"webhookUrl":"http://discord.com/api/webhooks/1/x"}}
            a Discord URL off discord.com      | config.webhookUrl | Discord    | {"name":"%s","type":"discord","config":{"webhookUrl":"https://example.com/api/webhooks/1/x"}}
            a URL with a file scheme           | config.url        | https      | {"name":"%s","type":"webhook","config":{"url":"file:///etc/passwd","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook secret without whsec_    | config.secret     | whsec_     | {"name":"%s","type":"webhook","config":{"url":"https://example.com/h","secret":"plain"}}
            a Telegram destination without chat | config.chatId    | required   | {"name":"%s","type":"telegram","config":{"botToken":"123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}
            a bad Telegram parse mode          | config.parseMode  | HTML       | {"name":"%s","type":"telegram","config":{"botToken":"123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA","chatId":1,"parseMode":"Markdown"}}
            an unknown config field            | config.token      | not a field | {"name":"%s","type":"discord","config":{"webhookUrl":"https://discord.com/api/webhooks/1/x","token":"t"}}
            an unknown type                    | type              | discord    | {"name":"%s","type":"slack","config":{}}
            a name with capitals               | name              | a-z        | {"name":"Ops%s","type":"discord","config":{"webhookUrl":"https://discord.com/api/webhooks/1/x"}}
            a webhook on the metadata address  | config.url        | link-local | {"name":"%s","type":"webhook","config":{"url":"https://169.254.169.254/latest/meta-data","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook on loopback              | config.url        | loopback   | {"name":"%s","type":"webhook","config":{"url":"https://127.0.0.1:8080/api/v1/tasks","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook on localhost             | config.url        | localhost  | {"name":"%s","type":"webhook","config":{"url":"https://localhost/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook on a private network     | config.url        | private    | {"name":"%s","type":"webhook","config":{"url":"https://10.0.0.5/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook on a unique-local IPv6   | config.url        | private    | {"name":"%s","type":"webhook","config":{"url":"https://[fd00::5]/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook on the unspecified host  | config.url        | unspecified | {"name":"%s","type":"webhook","config":{"url":"https://0.0.0.0/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook URL with CR LF           | config.url        | CR, LF     | {"name":"%s","type":"webhook","config":{"url":"https://example.com/h\\r\\nX-Injected: 1","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            a webhook over gopher              | config.url        | https      | {"name":"%s","type":"webhook","config":{"url":"gopher://example.com/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
            """)
    void anInvalidDestinationIsA422NamingTheFieldAndWritesNothing(String what, String field, String message, String body) {
        long before = TestDatabase.count("notification_destinations");
        client().body(body.formatted(uniqueName())).post(DESTINATIONS).then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://taskq.dev/problems/invalid-notification"))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
        assertThat(TestDatabase.count("notification_destinations")).isEqualTo(before);
    }

    @Test
    void aTakenNameIsAConflict() {
        String name = uniqueName();
        created(discordBody(name));
        client().body(discordBody(name)).post(DESTINATIONS).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void aDisabledDestinationCanBeEnabledAgain() {
        String id = created(discordBody(uniqueName())).path("id");
        Fixtures.update("update notification_destinations set enabled = false, disabled_reason = 'Discord answered 404' where id = ?", UUID.fromString(id));
        client().get(DESTINATIONS + "/" + id).then().body("enabled", is(false)).body("disabledReason", containsString("404"));

        client().post(DESTINATIONS + "/" + id + "/enable").then().statusCode(200).body("enabled", is(true)).body("disabledReason", nullValue());
    }

    @Test
    void subscriptionsAreCreatedByDestinationNameListedAndDeleted() {
        String name = uniqueName();
        String destination = created(discordBody(name)).path("id");
        String id = client().body("{\"destination\":\"" + name + "\",\"eventTypes\":[\"TASK_FAILED\",\"TASK_STARTED\"],\"pool\":\"gpu\","
                        + "\"label\":\"team=core\",\"minPriority\":7}")
                .post(SUBSCRIPTIONS).then().statusCode(201)
                .body("destinationId", equalTo(destination)).body("label", equalTo("team=core")).body("minPriority", equalTo(7))
                .extract().path("id");
        client().get(SUBSCRIPTIONS).then().statusCode(200).body("id", hasItem(id));

        client().delete(SUBSCRIPTIONS + "/" + id).then().statusCode(204);
        client().delete(SUBSCRIPTIONS + "/" + id).then().statusCode(404);
    }

    @Test
    void deletingADestinationDeletesItsSubscriptions() {
        String name = uniqueName();
        String destination = created(discordBody(name)).path("id");
        client().body("{\"destination\":\"" + destination + "\"}").post(SUBSCRIPTIONS).then().statusCode(201);

        client().delete(DESTINATIONS + "/" + destination).then().statusCode(204);

        assertThat(TestDatabase.count("select count(*) from notification_subscriptions where destination_id = ?", UUID.fromString(destination))).isZero();
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown destination  | destination   | {"destination":"no-such-destination"}
            an unknown event type   | eventTypes[0] | {"destination":"%s","eventTypes":["TASK_EXPLODED"]}
            a label without =       | label         | {"destination":"%s","label":"team"}
            a priority of 11        | minPriority   | {"destination":"%s","minPriority":11}
            """)
    void anInvalidSubscriptionIsA422AndWritesNothing(String what, String field, String body) {
        String name = uniqueName();
        created(discordBody(name));
        long before = TestDatabase.count("notification_subscriptions");
        client().body(body.formatted(name)).post(SUBSCRIPTIONS).then().statusCode(422).body("errors.field", hasItem(field));
        assertThat(TestDatabase.count("notification_subscriptions")).isEqualTo(before);
    }

    @Test
    void aTasksNotifyEntriesAreStoredAndShownWithoutSecrets() {
        String name = uniqueName();
        String destination = created(discordBody(name)).path("id");
        UUID task = Fixtures.submit("{\"prompt\":\"p\",\"notify\":[{\"destination\":\"" + name + "\"},"
                + "{\"type\":\"telegram\",\"botToken\":\"123456:" + BOT_TOKEN_TAIL + "\",\"chatId\":\"42\",\"events\":[\"TASK_STARTED\",\"TASK_FAILED\"]},"
                + "{\"type\":\"webhook\",\"url\":\"https://hooks.example.com/x\",\"secret\":\"" + WEBHOOK_SECRET + "\"}]}");

        assertThat(TestDatabase.count("select count(*) from task_notifications where task_id = ?", task)).isEqualTo(3);
        String shown = client().get("/api/v1/tasks/" + task).then().statusCode(200)
                .body("notify[0].destinationId", equalTo(destination))
                .body("notify[1].type", equalTo("telegram"))
                .body("notify[1].settings.chatId", equalTo("42"))
                .body("notify[1].settings.secretConfigured", is(true))
                .body("notify[1].events", org.hamcrest.Matchers.contains("TASK_STARTED", "TASK_FAILED"))
                .extract().asString();
        assertThat(shown).doesNotContain(BOT_TOKEN_TAIL).doesNotContain(WEBHOOK_SECRET.substring(6)).doesNotContain(DISCORD_TOKEN);
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            an inline Discord URL over http  | notify[0].webhookUrl   | {"prompt":"p","notify":[{"type":"discord","webhookUrl":"http://discord.com/api/webhooks/1/x"}]}
            an unknown destination name      | notify[0].destination  | {"prompt":"p","notify":[{"destination":"nobody-here"}]}
            an entry without type            | notify[0].type         | {"prompt":"p","notify":[{"url":"https://example.com"}]}
            a field of another channel       | notify[0].botToken     | {"prompt":"p","notify":[{"type":"discord","webhookUrl":"https://discord.com/api/webhooks/1/x","botToken":"1:x"}]}
            an unknown event                 | notify[0].events[0]    | {"prompt":"p","notify":[{"type":"webhook","url":"https://e.com/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","events":["NOPE"]}]}
            an inline webhook on a private IP | notify[0].url          | {"prompt":"p","notify":[{"type":"webhook","url":"https://192.168.1.20/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]}
            an inline webhook on IPv6 loopback | notify[0].url         | {"prompt":"p","notify":[{"type":"webhook","url":"https://[::1]/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]}
            """)
    void anInvalidNotifyEntryIsA422NamingItAndNoTaskIsWritten(String what, String field, String body) {
        long tasks = TestDatabase.count("tasks");
        client().body(body).post("/api/v1/tasks").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        assertThat(TestDatabase.count("tasks")).isEqualTo(tasks);
    }

    @Test
    void aWorkflowsOwnNotifyEntriesAreStoredWithTheWorkflow() {
        String name = uniqueName();
        String destination = created(discordBody(name)).path("id");
        String workflow = client().body("{\"name\":\"nightly\",\"tasks\":[{\"ref\":\"a\",\"prompt\":\"p\"}],\"notify\":["
                        + "{\"destination\":\"" + name + "\"},"
                        + "{\"type\":\"webhook\",\"url\":\"https://hooks.example.com/wf\",\"secret\":\"" + WEBHOOK_SECRET
                        + "\",\"events\":[\"WORKFLOW_FINISHED\"]}]}")
                .post("/api/v1/workflows").then().statusCode(201).extract().path("id");

        assertThat(Fixtures.queryString("""
                select string_agg(position || ':' || coalesce(destination_id::text, type) || ':' || event_types::text, ' ' order by position)
                from workflow_notifications where workflow_id = ?::uuid""", workflow))
                .isEqualTo("0:" + destination + ":[] 1:WEBHOOK:[\"WORKFLOW_FINISHED\"]");
        String shown = client().get("/api/v1/workflows/" + workflow).then().statusCode(200)
                .body("notify[0].destinationId", equalTo(destination))
                .body("notify[1].type", equalTo("webhook"))
                .body("notify[1].settings.secretConfigured", is(true))
                .body("notify[1].events", org.hamcrest.Matchers.contains("WORKFLOW_FINISHED"))
                .extract().asString();
        assertThat(shown).doesNotContain(WEBHOOK_SECRET.substring(6));
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a task event on a workflow      | notify[0].events[0] | {"tasks":[{"ref":"a","prompt":"p"}],"notify":[{"type":"webhook","url":"https://e.com/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw","events":["TASK_FAILED"]}]}
            an unknown destination          | notify[0].destination | {"tasks":[{"ref":"a","prompt":"p"}],"notify":[{"destination":"nobody-here"}]}
            a private webhook on a workflow | notify[1].url       | {"tasks":[{"ref":"a","prompt":"p"}],"notify":[{"type":"webhook","url":"https://e.com/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},{"type":"webhook","url":"https://172.20.0.1/h","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]}
            """)
    void anInvalidWorkflowNotifyEntryIsA422NamingItAndNothingIsWritten(String what, String field, String body) {
        long workflows = TestDatabase.count("workflows");
        long tasks = TestDatabase.count("tasks");
        client().body(body).post("/api/v1/workflows").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        assertThat(TestDatabase.count("workflows")).isEqualTo(workflows);
        assertThat(TestDatabase.count("tasks")).isEqualTo(tasks);
    }

    @Test
    void deliveriesAreListedByTaskAndStatusAndADeadOneCanBeRedelivered() {
        UUID task = Fixtures.insertTask(TaskStatus.SUCCEEDED);
        UUID dead = insertDelivery(task, "DEAD", "task:" + task + ":0");
        UUID delivered = insertDelivery(task, "DELIVERED", "task:" + task + ":1");

        client().get(DELIVERIES + "?taskId=" + task).then().statusCode(200).body("size()", equalTo(2));
        client().get(DELIVERIES + "?taskId=" + task + "&status=DEAD").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(dead.toString())).body("[0].lastError", equalTo("the endpoint answered 503"));

        client().post(DELIVERIES + "/" + dead + "/redeliver").then().statusCode(200).body("status", equalTo("PENDING"));
        assertThat(Fixtures.queryString("select retry_count || ' ' || status from notification_deliveries where id = ?", dead)).isEqualTo("0 PENDING");
        client().post(DELIVERIES + "/" + delivered + "/redeliver").then().statusCode(409).body("detail", containsString("DELIVERED"));
        client().post(DELIVERIES + "/" + UUID.randomUUID() + "/redeliver").then().statusCode(404);
        client().get(DELIVERIES + "?status=LOST").then().statusCode(400).body("errors[0].field", equalTo("status"));
    }

    @Test
    void deliveriesAboutAWorkflowOrAScheduleAreListedByItsId() {
        UUID workflow = UUID.randomUUID();
        UUID schedule = UUID.randomUUID();
        UUID aboutWorkflow = UUID.randomUUID();
        UUID aboutSchedule = UUID.randomUUID();
        Fixtures.update("""
                insert into notification_deliveries (id, event_id, workflow_id, schedule_id, event_type, destination_key, task_position,
                    channel, status, event, created_at, updated_at)
                values (?, ?, ?, null, 'WORKFLOW_FINISHED', ?, 0, 'WEBHOOK', 'DELIVERED', '{}'::jsonb, now(), now()),
                       (?, ?, null, ?, 'SCHEDULE_RUN_FAILED', ?, null, 'WEBHOOK', 'DEAD', '{}'::jsonb, now(), now())""",
                aboutWorkflow, UUID.randomUUID(), workflow, "workflow:" + workflow + ":0",
                aboutSchedule, UUID.randomUUID(), schedule, "dest:" + UUID.randomUUID());

        client().get(DELIVERIES + "?workflowId=" + workflow).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(aboutWorkflow.toString()))
                .body("[0].workflowId", equalTo(workflow.toString()))
                .body("[0].eventType", equalTo("WORKFLOW_FINISHED"));
        client().get(DELIVERIES + "?scheduleId=" + schedule).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(aboutSchedule.toString()));
        client().get(DELIVERIES + "?workflowId=nope").then().statusCode(400).body("errors[0].field", equalTo("workflowId"));
    }

    @Test
    void theNotificationEndpointsNeedAToken() {
        given().get(DESTINATIONS).then().statusCode(401);
        given().get(SUBSCRIPTIONS).then().statusCode(401);
        given().get(DELIVERIES).then().statusCode(401);
    }

    private static UUID insertDelivery(UUID task, String status, String key) {
        UUID id = UUID.randomUUID();
        Fixtures.update("""
                insert into notification_deliveries (id, event_id, task_id, event_type, destination_key, task_position, channel, status,
                    event, attempt_count, retry_count, last_response_code, last_error, created_at, updated_at)
                values (?, ?, ?, 'TASK_SUCCEEDED', ?, 0, 'WEBHOOK', ?, '{"status":"SUCCEEDED"}'::jsonb, 10, 9, 503,
                    'the endpoint answered 503', now(), now())""", id, UUID.randomUUID(), task, key, status);
        return id;
    }
}
