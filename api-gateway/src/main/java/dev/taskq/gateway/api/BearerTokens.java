package dev.taskq.gateway.api;

import dev.taskq.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The API tokens the gateway accepts, kept as digests and compared in constant time. */
// Built at startup, so a gateway without any token fails to start instead of rejecting every call.
@Startup
@Singleton
public class BearerTokens {

    private final List<byte[]> digests;

    @Inject
    public BearerTokens(GatewayConfig config) {
        this(config.tokens().orElse(List.of()));
    }

    BearerTokens(List<String> tokens) {
        List<String> usable = tokens.stream().map(String::trim).filter(token -> !token.isEmpty()).toList();
        if (usable.isEmpty()) {
            throw new IllegalStateException("No API token is configured: set TASKQ_API_TOKENS (property taskq.api.tokens)"
                    + " to one or more comma-separated bearer tokens that clients must send.");
        }
        this.digests = usable.stream().map(BearerTokens::digest).toList();
    }

    /** Whether the token is one of the configured ones; takes the same time whichever token (if any) matches. */
    public boolean accepts(String token) {
        byte[] candidate = digest(token);
        boolean accepted = false;
        for (byte[] known : digests) {
            // No short cut: every configured token is compared.
            accepted |= MessageDigest.isEqual(known, candidate);
        }
        return accepted;
    }

    /**
     * A stable name for the caller presenting {@code token}, safe to store and log: the first 16 bytes of the token's
     * SHA-256, in hex. Idempotency keys are scoped by it, so two clients cannot collide on one key.
     */
    public static String principalOf(String token) {
        return HexFormat.of().formatHex(digest(token), 0, 16);
    }

    // Comparing fixed-length digests keeps a token's length from leaking through timing.
    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
