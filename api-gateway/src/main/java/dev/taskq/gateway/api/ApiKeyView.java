package dev.taskq.gateway.api;

import dev.taskq.gateway.persistence.ApiKeyStore.StoredKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API key as admins see it: never its secret, only the prefix to recognise it by. */
public record ApiKeyView(
        UUID id,
        String name,
        @Schema(description = "The secret's first characters (tq_ and 8 more), to tell keys apart.")
        String prefix,
        @Schema(enumeration = {"admin", "submitter", "viewer", "worker"})
        String role,
        @Schema(description = "Pools it may submit into; empty means every pool.")
        List<String> pools,
        Double requestsPerSecond,
        Integer maxRunningTasks,
        BigDecimal dailyBudgetUsd,
        @Schema(description = "The key that created it; null for a bootstrap token.")
        UUID createdBy,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        @Schema(description = "When it last authenticated a request, to within taskq.api.keys.cache-ttl.")
        Instant lastUsedAt,
        @Schema(description = "Whether it authenticates now: neither revoked nor expired.")
        boolean active) {

    static ApiKeyView of(StoredKey key) {
        return new ApiKeyView(key.id(), key.name(), key.prefix(), key.role().wire(), key.pools().stream().sorted().toList(),
                key.limits().requestsPerSecond(), key.limits().maxRunningTasks(), key.limits().dailyBudgetUsd(),
                key.createdBy(), key.createdAt(), key.expiresAt(), key.revokedAt(), key.lastUsedAt(),
                key.usableAt(Instant.now()));
    }
}
