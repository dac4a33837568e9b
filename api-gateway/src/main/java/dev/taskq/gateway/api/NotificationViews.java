package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.store.notification.NotificationDeliveryEntity;
import dev.taskq.store.notification.NotificationDestinationEntity;
import dev.taskq.store.notification.NotificationSubscriptionEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request and response bodies of the notification endpoints. */
final class NotificationViews {

    private NotificationViews() {}

    @Schema(name = "CreateDestinationRequest", description = "A named Discord, Telegram or webhook destination.")
    record CreateDestinationRequest(
            @Schema(required = true, description = "Unique name: 1 to 100 of a-z 0-9 . _ -", examples = "ops-discord")
            String name,
            @Schema(required = true, enumeration = {"discord", "telegram", "webhook"})
            String type,
            @Schema(required = true, description = "discord: {webhookUrl}; telegram: {botToken, chatId, messageThreadId?, parseMode?}; "
                    + "webhook: {url, secret (whsec_…)}. Secrets are write-only.")
            Map<String, Object> config) {

        @Override
        public String toString() {
            return "CreateDestinationRequest[" + name + " " + type + "]";
        }
    }

    @Schema(name = "Destination", description = "A destination; its secret is never shown, only secretConfigured and a masked secretHint.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DestinationView(UUID id, String name, String type, Map<String, Object> settings, boolean enabled, String disabledReason,
                           Instant createdAt, Instant updatedAt) {

        static DestinationView of(NotificationDestinationEntity destination) {
            return new DestinationView(destination.id, destination.name, destination.type.wireName(),
                    DestinationConfigRules.publicView(destination.type, destination.config), destination.enabled,
                    destination.disabledReason, destination.createdAt, destination.updatedAt);
        }
    }

    @Schema(name = "CreateSubscriptionRequest", description = "Send the events of every task that passes the filters to a destination.")
    record CreateSubscriptionRequest(
            @Schema(required = true, description = "The destination's name or id.")
            String destination,
            @Schema(description = "Event types to hear; by default every ending (not TASK_STARTED). WAITING_FOR_INPUT, WORKFLOW_FINISHED "
                    + "and SCHEDULE_RUN_FAILED are accepted but not emitted yet.")
            List<String> eventTypes,
            @Schema(description = "Only tasks of this worker pool.")
            String pool,
            @Schema(description = "Only tasks whose metadata holds this key=value.", examples = "team=core")
            String label,
            @Schema(description = "Only tasks of at least this priority (1 to 10).")
            Integer minPriority) {}

    @Schema(name = "Subscription")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SubscriptionView(UUID id, UUID destinationId, List<String> eventTypes, String pool, String label, Integer minPriority,
                            Instant createdAt) {

        static SubscriptionView of(NotificationSubscriptionEntity subscription) {
            return new SubscriptionView(subscription.id, subscription.destinationId, subscription.eventTypes, subscription.pool,
                    subscription.labelKey == null ? null : subscription.labelKey + "=" + subscription.labelValue,
                    subscription.minPriority == null ? null : subscription.minPriority.intValue(), subscription.createdAt);
        }
    }

    @Schema(name = "NotificationDelivery", description = "One event to one destination; id is the webhook-id receivers see.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryView(UUID id, UUID eventId, UUID taskId, UUID workflowId, UUID scheduleId, String eventType, String channel,
                        UUID destinationId, Integer taskNotifyIndex, String status, int attempts, Instant nextAttemptAt,
                        Integer lastResponseCode, String lastError, Instant createdAt, Instant deliveredAt) {

        static DeliveryView of(NotificationDeliveryEntity delivery) {
            return new DeliveryView(delivery.id, delivery.eventId, delivery.taskId, delivery.workflowId, delivery.scheduleId,
                    delivery.eventType.name(), delivery.channel.wireName(),
                    delivery.destinationId, delivery.taskPosition, delivery.status.name(), delivery.attemptCount,
                    delivery.status.name().equals("PENDING") ? delivery.nextAttemptAt : null, delivery.lastResponseCode,
                    delivery.lastError, delivery.createdAt, delivery.deliveredAt);
        }
    }
}
