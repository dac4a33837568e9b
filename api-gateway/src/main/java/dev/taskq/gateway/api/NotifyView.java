package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.common.notification.ChannelType;
import dev.taskq.store.notification.TaskNotificationEntity;
import dev.taskq.store.notification.WorkflowNotificationEntity;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A task's or workflow's notify entry as the API shows it: secrets replaced by secretConfigured and a masked hint. */
@Schema(name = "NotifyView")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotifyView(
        @Schema(description = "The configured destination this entry names; absent for inline ones (or once it was deleted).")
        UUID destinationId,
        @Schema(description = "An inline destination's channel.")
        String type,
        @Schema(description = "An inline destination's settings without its secret, plus secretConfigured and secretHint.")
        Map<String, Object> settings,
        List<String> events,
        boolean enabled,
        String disabledReason) {

    static NotifyView of(TaskNotificationEntity entry) {
        return of(entry.destinationId, entry.type, entry.config, entry.eventTypes, entry.enabled, entry.disabledReason);
    }

    static NotifyView of(WorkflowNotificationEntity entry) {
        return of(entry.destinationId, entry.type, entry.config, entry.eventTypes, entry.enabled, entry.disabledReason);
    }

    private static NotifyView of(UUID destinationId, ChannelType type, Map<String, Object> config, List<String> events,
                                 boolean enabled, String disabledReason) {
        return new NotifyView(destinationId, type == null ? null : type.wireName(),
                type == null || config == null ? null : DestinationConfigRules.publicView(type, config), events, enabled, disabledReason);
    }
}
