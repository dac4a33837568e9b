package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.store.notification.NotifyEntryColumns;
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

    static NotifyView of(NotifyEntryColumns entry) {
        return new NotifyView(entry.destinationId, entry.type == null ? null : entry.type.wireName(),
                entry.type == null || entry.config == null ? null : DestinationConfigRules.publicView(entry.type, entry.config),
                entry.eventTypes, entry.enabled, entry.disabledReason);
    }
}
