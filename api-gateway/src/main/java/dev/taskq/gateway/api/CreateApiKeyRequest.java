package dev.taskq.gateway.api;

import dev.taskq.gateway.domain.ApiKeys;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/v1/api-keys. */
public record CreateApiKeyRequest(
        @Schema(description = "Who or what the key is for, 1 to 100 characters.", required = true)
        String name,
        @Schema(description = "What the key may do.", required = true, enumeration = {"admin", "submitter", "viewer", "worker"})
        String role,
        @Schema(description = "Pools a submitter key may submit into; empty or absent means every pool.")
        List<String> pools,
        @Schema(description = "When the key stops working; absent means never.")
        OffsetDateTime expiresAt,
        @Schema(description = "Requests per second this key may make; absent means taskq.api.limits.requests-per-second.")
        Double requestsPerSecond,
        @Schema(description = "How many of its tasks may be unfinished at once (0 for no limit); absent means "
                + "taskq.api.limits.max-running-tasks.")
        Integer maxRunningTasks,
        @Schema(description = "USD its tasks submitted today (UTC) may cost together; absent means taskq.api.limits.daily-budget-usd.")
        BigDecimal dailyBudgetUsd) {

    ApiKeys.Draft toDraft() {
        return new ApiKeys.Draft(name, role, pools, expiresAt == null ? null : expiresAt.toInstant(), requestsPerSecond,
                maxRunningTasks, dailyBudgetUsd);
    }
}
