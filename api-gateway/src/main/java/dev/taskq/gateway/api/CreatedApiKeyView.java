package dev.taskq.gateway.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A key just created: the only answer that carries its secret. */
public record CreatedApiKeyView(
        ApiKeyView key,
        @Schema(description = "The key itself, to send as 'Authorization: Bearer <secret>'. Shown this once: taskq keeps only "
                + "its hash, so store it now.")
        String secret) {}
