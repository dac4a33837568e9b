package dev.taskq.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.common.domain.WorkflowStatus;
import dev.taskq.common.event.ScheduleRunFailedEvent;
import dev.taskq.common.event.WorkflowFinishedEvent;
import dev.taskq.common.json.EventJson;
import dev.taskq.notifier.domain.WebhookSignature;
import dev.taskq.notifier.testing.Events;
import dev.taskq.notifier.testing.LifecycleTopicResource;
import dev.taskq.notifier.testing.Rows;
import dev.taskq.notifier.testing.TelegramApiResource;
import dev.taskq.testsupport.HttpReceiver;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Workflow-finished and schedule-run-failed events, routed and rendered for Discord, Telegram and webhooks. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(LifecycleTopicResource.class)
@QuarkusTestResource(TelegramApiResource.class)
class NoticeDeliveryIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static HttpReceiver telegram;

    private final List<HttpReceiver> receivers = new ArrayList<>();

    @BeforeAll
    static void telegramStandIn() {
        telegram = TelegramApiResource.standIn();
    }

    @AfterEach
    void closeReceivers() {
        receivers.forEach(HttpReceiver::close);
    }

    private HttpReceiver receiver() {
        HttpReceiver receiver = HttpReceiver.start();
        receivers.add(receiver);
        return receiver;
    }

    private static WorkflowFinishedEvent failedWorkflow(UUID workflow, String name) {
        Instant finished = Instant.parse("2026-12-07T10:02:05Z");
        return new WorkflowFinishedEvent(UUID.nameUUIDFromBytes(("wf" + workflow).getBytes()), workflow, name, WorkflowStatus.FAILED,
                5, 3, 1, 0, 1, new BigDecimal("0.4210"), "task build (" + UUID.randomUUID() + ") ended FAILED: exit code 2",
                finished.minusSeconds(125), finished);
    }

    @Test
    void aFinishedWorkflowReachesItsOwnDiscordTelegramAndWebhookEntriesWithOutcomeCountsDurationCostAndLinks() {
        HttpReceiver discord = receiver();
        HttpReceiver endpoint = receiver();
        String token = "888888:AAH" + UUID.randomUUID().toString().replace("-", "");
        UUID workflow = Rows.workflow("nightly <build>", Map.of("team", "core"), "wf-own", 5);
        Rows.workflowNotifyInline(workflow, 0, "DISCORD", Map.of("webhookUrl", discord.url("/api/webhooks/7/token")));
        Rows.workflowNotifyInline(workflow, 1, "TELEGRAM", Map.of("botToken", token, "chatId", 42));
        Rows.workflowNotifyInline(workflow, 2, "WEBHOOK", Map.of("url", endpoint.url("/hooks/wf"), "secret", SECRET));
        WorkflowFinishedEvent event = failedWorkflow(workflow, "nightly <build>");

        Events.publish(event);
        Events.publish(event);

        await().until(() -> statuses("workflow_id", workflow).equals(List.of("DELIVERED", "DELIVERED", "DELIVERED")));
        JsonNode discordBody = json(discord.requests().getFirst().body());
        JsonNode embed = discordBody.path("embeds").get(0);
        assertThat(embed.path("title").asText()).isEqualTo("Workflow failed: nightly <build>");
        assertThat(embed.path("color").asInt()).isEqualTo(0xE74C3C);
        assertThat(embed.path("url").asText()).isEqualTo("http://127.0.0.1:8080/ui/#/workflows/" + workflow);
        assertThat(embed.path("description").asText()).contains("/api/v1/workflows/" + workflow);
        assertThat(embed.path("fields").toString()).contains("FAILED", "3 succeeded, 1 failed, 1 skipped of 5", "2m 05s", "$0.4210",
                "exit code 2");
        assertThat(discordBody.path("allowed_mentions").path("parse")).isEmpty();

        List<HttpReceiver.Request> telegramRequests = telegram.requests().stream()
                .filter(r -> r.path().equals("/bot" + token + "/sendMessage")).toList();
        assertThat(telegramRequests).hasSize(1);
        assertThat(json(telegramRequests.getFirst().body()).path("text").asText())
                .startsWith("<b>Workflow failed</b>\n<i>nightly &lt;build&gt;</i>\nOutcome: FAILED")
                .contains("Tasks: 3 succeeded, 1 failed, 1 skipped of 5", "Duration: 2m 05s", "Reason: task build",
                        "<a href=\"http://127.0.0.1:8080/api/v1/workflows/" + workflow + "\">API</a>");

        HttpReceiver.Request hook = endpoint.requests().getFirst();
        assertThat(endpoint.requests()).hasSize(1);
        assertThat(hook.header("webhook-signature")).isEqualTo(WebhookSignature.sign(SECRET, hook.header("webhook-id"),
                Long.parseLong(hook.header("webhook-timestamp")), hook.body()));
        JsonNode payload = json(hook.body());
        assertThat(payload.path("type").asText()).isEqualTo("workflow.finished");
        JsonNode data = payload.path("data");
        assertThat(data.path("eventId").asText()).isEqualTo(event.eventId().toString());
        assertThat(data.path("workflowId").asText()).isEqualTo(workflow.toString());
        assertThat(data.path("status").asText()).isEqualTo("FAILED");
        assertThat(data.path("failedCount").asInt()).isEqualTo(1);
        assertThat(data.path("costUsd").decimalValue()).isEqualByComparingTo("0.4210");
        assertThat(data.path("link").asText()).isEqualTo("http://127.0.0.1:8080/api/v1/workflows/" + workflow);
        assertThat(data.path("dashboardLink").asText()).isEqualTo("http://127.0.0.1:8080/ui/#/workflows/" + workflow);
    }

    @Test
    void aSubscriptionNamingWorkflowFinishedHearsWorkflowsWhoseLabelsAndPoolsMatchAndTheDefaultSubscriptionsDoNot() {
        HttpReceiver wanted = receiver();
        HttpReceiver otherTeam = receiver();
        HttpReceiver defaults = receiver();
        UUID hearing = Rows.destination("WEBHOOK", Map.of("url", wanted.url("/wf"), "secret", SECRET));
        UUID wrongLabel = Rows.destination("WEBHOOK", Map.of("url", otherTeam.url("/wf"), "secret", SECRET));
        UUID taskDefaults = Rows.destination("WEBHOOK", Map.of("url", defaults.url("/wf"), "secret", SECRET));
        Rows.subscribe(hearing, "[\"WORKFLOW_FINISHED\"]", "wf-subs", "team", "core");
        Rows.subscribe(wrongLabel, "[\"WORKFLOW_FINISHED\"]", "wf-subs", "team", "billing");
        Rows.subscribe(taskDefaults, "wf-subs");
        UUID workflow = Rows.workflow("matched", Map.of("team", "core"), "wf-subs", 5);
        UUID marker = Rows.workflow("marker", Map.of(), "wf-subs-marker", 5);
        HttpReceiver markerReceiver = receiver();
        Rows.workflowNotifyInline(marker, 0, "WEBHOOK", Map.of("url", markerReceiver.url("/m"), "secret", SECRET));

        Events.publish(failedWorkflow(workflow, "matched"));
        Events.publish(failedWorkflow(marker, "marker"));

        await().until(() -> statuses("workflow_id", workflow).equals(List.of("DELIVERED"))
                && statuses("workflow_id", marker).equals(List.of("DELIVERED")));
        assertThat(Rows.deliveriesBy("workflow_id", workflow)).extracting(Rows.DeliveryRow::destinationKey).containsExactly("dest:" + hearing);
        assertThat(otherTeam.requests()).isEmpty();
        assertThat(defaults.requests()).isEmpty();
    }

    @Test
    void aFailedScheduleRunReachesSubscriptionsNamingItAndTheTemplatesEntriesWithNameFireTimeKindReasonAndRunsLink() {
        HttpReceiver subscribed = receiver();
        HttpReceiver templateHook = receiver();
        HttpReceiver discord = receiver();
        UUID destination = Rows.destination("WEBHOOK", Map.of("url", subscribed.url("/schedules"), "secret", SECRET));
        Rows.subscribe(destination, "[\"SCHEDULE_RUN_FAILED\"]", "sched-pool", null, null);
        // The template's own entries: a webhook naming no events (the task defaults) and a Discord one naming the event.
        UUID schedule = Rows.schedule("nightly report", "sched-pool", """
                [{"type":"WEBHOOK","config":{"url":"%s","secret":"%s"},"eventTypes":[]},
                 {"type":"DISCORD","config":{"webhookUrl":"%s"},"eventTypes":["SCHEDULE_RUN_FAILED"]}]"""
                .formatted(templateHook.url("/tpl"), SECRET, discord.url("/api/webhooks/8/token")));
        Instant fireTime = Instant.parse("2026-12-07T03:00:00Z");
        ScheduleRunFailedEvent missed = new ScheduleRunFailedEvent(UUID.randomUUID(), schedule, "nightly report", fireTime,
                ScheduleRunFailedEvent.Kind.MISSED, null, null, "no scheduler ran at 03:00 and the missed-run policy is fail",
                fireTime.plusSeconds(600));

        Events.publish(missed);

        await().until(() -> statuses("schedule_id", schedule).equals(List.of("DELIVERED", "DELIVERED", "DELIVERED")));
        JsonNode payload = json(subscribed.requests().getFirst().body());
        assertThat(payload.path("type").asText()).isEqualTo("schedule.run_failed");
        assertThat(payload.path("data").path("scheduleName").asText()).isEqualTo("nightly report");
        assertThat(payload.path("data").path("fireTime").asText()).isEqualTo("2026-12-07T03:00:00Z");
        assertThat(payload.path("data").path("kind").asText()).isEqualTo("MISSED");
        assertThat(payload.path("data").path("reason").asText()).contains("missed-run policy is fail");
        assertThat(payload.path("data").path("link").asText()).isEqualTo("http://127.0.0.1:8080/api/v1/schedules/" + schedule + "/runs");
        assertThat(templateHook.requests()).hasSize(1);
        JsonNode embed = json(discord.requests().getFirst().body()).path("embeds").get(0);
        assertThat(embed.path("title").asText()).isEqualTo("Scheduled run failed: nightly report");
        assertThat(embed.path("fields").toString()).contains("MISSED", "2026-12-07T03:00:00Z", "missed-run policy is fail");

        // A run whose task failed: that task's own copy of the entries announced TASK_FAILED already, so only the
        // entry naming SCHEDULE_RUN_FAILED (and the subscription) hear it.
        ScheduleRunFailedEvent runFailed = new ScheduleRunFailedEvent(UUID.randomUUID(), schedule, "nightly report",
                fireTime.plusSeconds(86_400), ScheduleRunFailedEvent.Kind.RUN_FAILED, UUID.randomUUID(), null,
                "the run's task ended FAILED", fireTime.plusSeconds(87_000));
        Events.publish(runFailed);
        await().until(() -> Rows.deliveriesBy("schedule_id", schedule).size() == 5
                && statuses("schedule_id", schedule).stream().allMatch("DELIVERED"::equals));
        assertThat(templateHook.requests()).hasSize(1);
        assertThat(discord.requests()).hasSize(2);
        assertThat(subscribed.requests()).hasSize(2);
    }

    private static List<String> statuses(String column, UUID id) {
        return Rows.deliveriesBy(column, id).stream().map(Rows.DeliveryRow::status).toList();
    }

    private static JsonNode json(String body) {
        try {
            return EventJson.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
