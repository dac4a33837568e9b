package dev.taskq.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.event.TaskLifecycleEvent;
import dev.taskq.common.json.EventJson;
import dev.taskq.notifier.domain.WebhookSignature;
import dev.taskq.notifier.testing.Events;
import dev.taskq.notifier.testing.LifecycleTopicResource;
import dev.taskq.notifier.testing.Rows;
import dev.taskq.notifier.testing.TelegramApiResource;
import dev.taskq.testsupport.HttpReceiver;
import dev.taskq.testsupport.HttpReceiver.Answer;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(LifecycleTopicResource.class)
@QuarkusTestResource(TelegramApiResource.class)
class NotifierDeliveryIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static HttpReceiver telegram;

    private final List<HttpReceiver> receivers = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record.getLoggerName() + " " + record.getMessage() + " " + String.valueOf(record.getParameters() == null ? "" : List.of(record.getParameters()))
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void telegramStandIn() {
        telegram = TelegramApiResource.standIn();
    }

    @BeforeEach
    void captureLog() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void closeReceivers() {
        Logger.getLogger("").removeHandler(capture);
        receivers.forEach(HttpReceiver::close);
    }

    private HttpReceiver receiver() {
        HttpReceiver receiver = HttpReceiver.start();
        receivers.add(receiver);
        return receiver;
    }

    @Test
    void theServiceReportsLiveAndReady() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aDiscordWebhookThatAnswers204GetsOneMessageWithAnEmbedAndNoMentions() {
        HttpReceiver discord = receiver();
        UUID task = Rows.task("Summarise the README for @everyone", "SUCCEEDED");
        Rows.notifyInline(task, 0, "DISCORD", Map.of("webhookUrl", discord.url("/api/webhooks/1/secret-token")));

        Events.publish(Events.finished(task, TaskStatus.SUCCEEDED, null));

        await().until(() -> deliveryStatus(task).equals(List.of("DELIVERED")));
        assertThat(discord.requests()).hasSize(1);
        JsonNode body = json(discord.requests().getFirst().body());
        assertThat(body.path("allowed_mentions").path("parse")).isEmpty();
        assertThat(body.path("content").asText()).startsWith("Task succeeded: Summarise the README");
        JsonNode embed = body.path("embeds").get(0);
        assertThat(embed.path("color").asInt()).isEqualTo(0x2ECC71);
        assertThat(embed.path("url").asText()).endsWith("/api/v1/tasks/" + task);
        assertThat(embed.path("fields").toString()).contains("Duration", "1m 05s", "$0.0123");
        assertThat(Rows.attempts(Rows.deliveries(task).getFirst().id())).extracting(Rows.AttemptRow::outcome).containsExactly("delivered");
        assertThat(given().get("/q/metrics").asString())
                .contains("taskq_notifications_deliveries_total{channel=\"discord\",outcome=\"delivered\"}")
                .contains("taskq_notifications_delivery_duration_seconds_count{channel=\"discord\"}")
                .contains("taskq_notifications_pending");
    }

    @Test
    void aDiscord429IsWaitedOutForItsRetryAfterAndTheMessageIsDeliveredExactlyOnce() {
        HttpReceiver discord = receiver().thenAnswer(Answer.of(429, "{\"message\":\"You are being rate limited.\",\"retry_after\":0.8,\"global\":false}"));
        UUID task = Rows.task("Rate limited", "FAILED");
        Rows.notifyInline(task, 0, "DISCORD", Map.of("webhookUrl", discord.url("/api/webhooks/2/token")));

        Events.publish(Events.finished(task, TaskStatus.FAILED, "the session exited with code 1"));

        await().until(() -> deliveryStatus(task).equals(List.of("DELIVERED")));
        List<HttpReceiver.Request> requests = discord.requests();
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(750));
        assertThat(json(requests.get(1).body()).path("embeds").get(0).path("fields").toString()).contains("the session exited with code 1");
        assertThat(Rows.attempts(Rows.deliveries(task).getFirst().id()))
                .extracting(Rows.AttemptRow::outcome, Rows.AttemptRow::responseCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("retried", 429), org.assertj.core.groups.Tuple.tuple("delivered", 204));
    }

    @Test
    void aTelegramMessageIsSentAsHtmlToTheChatAndThreadWithoutLinkPreviewAndTheTokenIsNeverLogged() {
        String token = "123456:AAH" + UUID.randomUUID().toString().replace("-", "");
        UUID task = Rows.task("Compare <b> & </b>", "TIMED_OUT");
        Rows.notifyInline(task, 0, "TELEGRAM", Map.of("botToken", token, "chatId", "-1001234", "messageThreadId", 7));

        Events.publish(Events.finished(task, TaskStatus.TIMED_OUT, "timed out after 600 s"));

        await().until(() -> deliveryStatus(task).equals(List.of("DELIVERED")));
        List<HttpReceiver.Request> requests = telegram.requests().stream().filter(r -> r.path().equals("/bot" + token + "/sendMessage")).toList();
        assertThat(requests).hasSize(1);
        JsonNode body = json(requests.getFirst().body());
        assertThat(body.path("chat_id").asText()).isEqualTo("-1001234");
        assertThat(body.path("message_thread_id").asInt()).isEqualTo(7);
        assertThat(body.path("parse_mode").asText()).isEqualTo("HTML");
        assertThat(body.path("link_preview_options").path("is_disabled").asBoolean()).isTrue();
        assertThat(body.path("text").asText()).contains("<b>Task timed out</b>", "Compare &lt;b&gt; &amp; &lt;/b&gt;", "timed out after 600 s");
        assertThat(loggedText()).doesNotContain(token);
    }

    @Test
    void aTelegram429IsWaitedOutForParametersRetryAfter() {
        String token = "654321:AAH" + UUID.randomUUID().toString().replace("-", "");
        String path = "/bot" + token + "/sendMessage";
        AtomicBoolean limited = new AtomicBoolean();
        telegram.byDefault(request -> request.path().equals(path) && limited.compareAndSet(false, true)
                ? Answer.of(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\",\"parameters\":{\"retry_after\":1}}")
                : Answer.of(200, "{\"ok\":true,\"result\":{\"message_id\":2}}"));
        UUID task = Rows.task("Telegram rate limit", "SUCCEEDED");
        Rows.notifyInline(task, 0, "TELEGRAM", Map.of("botToken", token, "chatId", 42, "parseMode", "MarkdownV2"));

        Events.publish(Events.finished(task, TaskStatus.SUCCEEDED, null));

        await().until(() -> deliveryStatus(task).equals(List.of("DELIVERED")));
        List<HttpReceiver.Request> requests = telegram.requests().stream().filter(r -> r.path().equals(path)).toList();
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(json(requests.get(1).body()).path("text").asText()).startsWith("*Task succeeded*");
        assertThat(loggedText()).doesNotContain(token);
    }

    @Test
    void aWebhookCarriesAStandardWebhooksSignatureTheReceiverVerifies() {
        HttpReceiver endpoint = receiver();
        endpoint.byDefault(request -> {
            String expected = WebhookSignature.sign(SECRET, request.header("webhook-id"),
                    Long.parseLong(request.header("webhook-timestamp")), request.body());
            return expected.equals(request.header("webhook-signature")) ? Answer.of(200, "{}") : Answer.of(401, "{\"error\":\"bad signature\"}");
        });
        UUID task = Rows.task("Signed", "CANCELLED");
        Rows.notifyInline(task, 0, "WEBHOOK", Map.of("url", endpoint.url("/hooks/taskq"), "secret", SECRET));

        TaskLifecycleEvent event = Events.finished(task, TaskStatus.CANCELLED, "cancelled through the API");
        Events.publish(event);

        await().until(() -> deliveryStatus(task).equals(List.of("DELIVERED")));
        HttpReceiver.Request request = endpoint.requests().getFirst();
        assertThat(request.header("webhook-id")).isEqualTo(Rows.deliveries(task).getFirst().id().toString());
        assertThat(Long.parseLong(request.header("webhook-timestamp"))).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
        JsonNode body = json(request.body());
        assertThat(body.path("type").asText()).isEqualTo("task.cancelled");
        assertThat(body.path("data").path("eventId").asText()).isEqualTo(event.eventId().toString());
        assertThat(body.path("data").path("reason").asText()).isEqualTo("cancelled through the API");
    }

    @Test
    void aQuestionASessionAskedReachesDiscordTelegramAndAWebhookWithTheQuestionAndHowToAnswer() {
        String question = "Drop the <orders_old> table & keep a backup? (v1.2_final)";
        String token = "777777:AAH" + UUID.randomUUID().toString().replace("-", "");
        HttpReceiver discord = receiver();
        HttpReceiver endpoint = receiver();
        UUID task = Rows.task("Migrate the orders table", "WAITING_FOR_INPUT");
        String shortId = task.toString().substring(0, 8);
        // No event types named: the defaults, which include every question, since somebody has to answer it.
        Rows.notifyInline(task, 0, "DISCORD", Map.of("webhookUrl", discord.url("/api/webhooks/9/token")));
        Rows.notifyInline(task, 1, "TELEGRAM", Map.of("botToken", token, "chatId", 42, "parseMode", "MarkdownV2"));
        Rows.notifyInline(task, 2, "WEBHOOK", Map.of("url", endpoint.url("/hooks/questions"), "secret", SECRET));

        Events.publish(Events.waitingForInput(task, question));

        await().until(() -> deliveryStatus(task).equals(List.of("DELIVERED", "DELIVERED", "DELIVERED")));
        JsonNode embed = json(discord.requests().getFirst().body()).path("embeds").get(0);
        assertThat(embed.path("title").asText()).isEqualTo("Task " + shortId + " needs an answer");
        assertThat(embed.path("description").asText()).isEqualTo(question);
        assertThat(embed.path("color").asInt()).isEqualTo(0x9B59B6);
        assertThat(embed.path("fields").get(0).path("value").asText())
                .contains("taskq answer " + task, "POST /api/v1/tasks/" + task + "/answer");

        List<HttpReceiver.Request> telegramRequests = telegram.requests().stream()
                .filter(r -> r.path().equals("/bot" + token + "/sendMessage")).toList();
        assertThat(telegramRequests).hasSize(1);
        JsonNode telegramBody = json(telegramRequests.getFirst().body());
        assertThat(telegramBody.path("parse_mode").asText()).isEqualTo("MarkdownV2");
        assertThat(telegramBody.path("text").asText())
                .startsWith("*Task " + shortId + " needs an answer*\n_Migrate the orders table_\n\n"
                        + "Drop the <orders\\_old\\> table & keep a backup? \\(v1\\.2\\_final\\)\n\n"
                        + "Answer: `taskq answer " + task + " \"<your answer>\"`")
                .contains("or POST `/api/v1/tasks/" + task + "/answer`");

        HttpReceiver.Request hook = endpoint.requests().getFirst();
        assertThat(hook.header("webhook-signature")).isEqualTo(WebhookSignature.sign(SECRET, hook.header("webhook-id"),
                Long.parseLong(hook.header("webhook-timestamp")), hook.body()));
        JsonNode payload = json(hook.body());
        assertThat(payload.path("type").asText()).isEqualTo("task.waiting_for_input");
        assertThat(payload.path("data").path("question").asText()).isEqualTo(question);
        assertThat(payload.path("data").path("answerPath").asText()).isEqualTo("/api/v1/tasks/" + task + "/answer");
        assertThat(payload.path("data").path("status").asText()).isEqualTo("WAITING_FOR_INPUT");
        assertThat(payload.path("data").path("attempt").asInt()).isEqualTo(2);
        assertThat(loggedText()).doesNotContain(token);
    }

    @Test
    void aReceiverThatIsDownForAWhileGetsEveryEventOnceItIsBackEachWebhookIdSucceedingOnce() {
        HttpReceiver endpoint = receiver();
        long upAt = System.currentTimeMillis() + 700;
        endpoint.byDefault(request -> System.currentTimeMillis() < upAt ? Answer.of(503, "down") : Answer.of(200, "{}"));
        UUID destination = Rows.destination("WEBHOOK", Map.of("url", endpoint.url("/down-then-up"), "secret", SECRET));
        Rows.subscribe(destination, "down-then-up");
        List<UUID> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UUID task = Rows.task("outage " + i, "SUCCEEDED", "down-then-up");
            tasks.add(task);
            Events.publish(Events.finished(task, TaskStatus.SUCCEEDED, null));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> tasks.stream().allMatch(task -> deliveryStatus(task).equals(List.of("DELIVERED"))));
        Map<String, Integer> successes = new HashMap<>();
        for (HttpReceiver.Request request : endpoint.requests()) {
            if (request.at().toEpochMilli() >= upAt) {
                successes.merge(request.header("webhook-id"), 1, Integer::sum);
            }
        }
        Set<String> deliveryIds = new HashSet<>();
        tasks.forEach(task -> deliveryIds.add(Rows.deliveries(task).getFirst().id().toString()));
        assertThat(successes).containsOnlyKeys(deliveryIds).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        assertThat(endpoint.requests().stream().filter(r -> r.at().toEpochMilli() < upAt)).isNotEmpty();
    }

    @Test
    void aRedeliveredKafkaEventCreatesNoSecondDelivery() {
        HttpReceiver endpoint = receiver();
        UUID task = Rows.task("Twice", "SUCCEEDED");
        Rows.notifyInline(task, 0, "WEBHOOK", Map.of("url", endpoint.url("/twice"), "secret", SECRET));
        TaskLifecycleEvent event = Events.finished(task, TaskStatus.SUCCEEDED, null);
        TaskLifecycleEvent marker = Events.finished(task, TaskStatus.FAILED, "a later event on the same partition");

        Events.publish(event);
        Events.publish(event);
        Events.publish(marker);

        await().until(() -> Rows.deliveries(task).size() == 2 && deliveryStatus(task).stream().allMatch("DELIVERED"::equals));
        assertThat(endpoint.requests()).hasSize(2);
        assertThat(endpoint.requests()).extracting(r -> json(r.body()).path("data").path("eventId").asText())
                .containsExactlyInAnyOrder(event.eventId().toString(), marker.eventId().toString());
    }

    @Test
    void aDeliveryLeftDueByAPreviousRunIsPickedUpAndSentWithItsWebhookId() {
        HttpReceiver endpoint = receiver();
        UUID task = Rows.task("Left behind", "SUCCEEDED");
        Rows.notifyInline(task, 0, "WEBHOOK", Map.of("url", endpoint.url("/resume"), "secret", SECRET));
        UUID delivery = UUID.randomUUID();
        // As a notifier that died after two failed attempts leaves it: due, attempt count 2.
        Rows.update("""
                insert into notification_deliveries (id, event_id, task_id, event_type, destination_key, task_position, channel,
                    status, event, attempt_count, retry_count, next_attempt_at, created_at, updated_at)
                values (?, ?, ?, 'TASK_SUCCEEDED', ?, 0, 'WEBHOOK', 'PENDING', '{"status":"SUCCEEDED","attempt":1}'::jsonb, 2, 2,
                    now(), now(), now())""", delivery, UUID.randomUUID(), task, "task:" + task + ":0");

        await().until(() -> deliveryStatus(task).equals(List.of("DELIVERED")));
        assertThat(endpoint.requests()).extracting(r -> r.header("webhook-id")).containsExactly(delivery.toString());
        assertThat(Rows.attempts(delivery)).extracting(Rows.AttemptRow::attempt).containsExactly(3);
    }

    @Test
    void aDiscord404DisablesTheDestinationWithTheReasonAndItIsNotCalledAgain() {
        HttpReceiver discord = receiver().byDefault(request -> Answer.of(404, "{\"message\":\"Unknown Webhook\",\"code\":10015}"));
        UUID destination = Rows.destination("DISCORD", Map.of("webhookUrl", discord.url("/api/webhooks/3/gone")));
        Rows.subscribe(destination, "discord-gone");
        UUID first = Rows.task("first", "SUCCEEDED", "discord-gone");

        Events.publish(Events.finished(first, TaskStatus.SUCCEEDED, null));

        await().until(() -> deliveryStatus(first).equals(List.of("DISABLED")));
        assertThat(Rows.destinationState(destination)).startsWith("false").contains("404");
        UUID second = Rows.task("second", "SUCCEEDED", "discord-gone");
        Rows.notifyNamed(second, 0, destination);
        Events.publish(Events.finished(second, TaskStatus.SUCCEEDED, null));
        UUID marker = Rows.task("marker", "SUCCEEDED");
        HttpReceiver other = receiver();
        Rows.notifyInline(marker, 0, "WEBHOOK", Map.of("url", other.url("/marker"), "secret", SECRET));
        Events.publish(Events.finished(marker, TaskStatus.SUCCEEDED, null));
        await().until(() -> deliveryStatus(marker).equals(List.of("DELIVERED")));
        assertThat(Rows.deliveries(second)).isEmpty();
        assertThat(discord.requests()).hasSize(1);
        assertThat(loggedText()).contains("Disabled destination dest:" + destination).doesNotContain("/api/webhooks/3/gone");
    }

    @Test
    void aWebhook410DisablesTheEndpoint() {
        HttpReceiver endpoint = receiver().byDefault(request -> Answer.of(410, ""));
        UUID task = Rows.task("gone", "SUCCEEDED");
        Rows.notifyInline(task, 0, "WEBHOOK", Map.of("url", endpoint.url("/gone"), "secret", SECRET));

        Events.publish(Events.finished(task, TaskStatus.SUCCEEDED, null));

        await().until(() -> deliveryStatus(task).equals(List.of("DISABLED")));
        assertThat(Rows.deliveries(task).getFirst().lastResponseCode()).isEqualTo(410);
        assertThat(endpoint.requests()).hasSize(1);
    }

    @Test
    void aHangingReceiverDoesNotDelayAHealthyOne() {
        HttpReceiver hanging = receiver().byDefault(request -> Answer.hanging());
        HttpReceiver healthy = receiver();
        UUID slow = Rows.destination("WEBHOOK", Map.of("url", hanging.url("/hang"), "secret", SECRET));
        UUID fast = Rows.destination("WEBHOOK", Map.of("url", healthy.url("/fast"), "secret", SECRET));
        Rows.subscribe(slow, "hang-test");
        Rows.subscribe(fast, "hang-test");
        List<UUID> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(Rows.task("hang " + i, "SUCCEEDED", "hang-test"));
        }
        tasks.forEach(task -> Events.publish(Events.finished(task, TaskStatus.SUCCEEDED, null)));

        // Had the hanging destination held up the others, the healthy deliveries would only have gone out after its
        // requests timed out, and by then it would have been sent more than its first batch (its per-destination slots).
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.requests().size() == 12);
        assertThat(hanging.requests().size()).isLessThanOrEqualTo(4);
    }

    private static List<String> deliveryStatus(UUID task) {
        return Rows.deliveries(task).stream().map(Rows.DeliveryRow::status).toList();
    }

    private String loggedText() {
        synchronized (logged) {
            return String.join("\n", logged);
        }
    }

    private static JsonNode json(String body) {
        try {
            return EventJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
