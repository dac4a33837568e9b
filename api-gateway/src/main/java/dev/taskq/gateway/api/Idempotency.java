package dev.taskq.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.taskq.gateway.domain.IdempotencyKey;
import dev.taskq.gateway.domain.InvalidRequestException;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.util.List;

/** Reads the {@code Idempotency-Key} header and fingerprints the request it came with. */
public final class Idempotency {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final String DESCRIPTION = """
            Makes the request safe to repeat: 1 to 255 printable ASCII characters, unique per request (a UUID is a \
            good choice). The same key with the same body within 24 hours (taskq.api.idempotency.retention) returns 200 with what the first request \
            created, as it is now (header Idempotent-Replayed: true), instead of creating it again; the same key with \
            another body is a 409. Keys are per API key.""";
    private static final int MAX_LENGTH = 255;

    /**
     * Canonical JSON: properties and map entries sorted, nulls left out, so that key order, whitespace and absent
     * versus null fields do not change the hash.
     */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .findAndAddModules()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Idempotency() {}

    /** The key to claim, or null when the request carries none; a malformed key is a 400 naming the header. */
    static IdempotencyKey key(HttpHeaders headers, String principal, String scope, Object request) {
        List<String> values = headers.getRequestHeader(HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidRequestException(HEADER, "must be sent once, got " + values.size() + " values");
        }
        String header = values.getFirst() == null ? "" : values.getFirst();
        return key(principal, scope, HEADER, header, request);
    }

    /**
     * The key {@code principal} sent for {@code request}, checked; a malformed key is a 400 naming {@code field} (the
     * header here, an argument of an MCP tool there), so both ways in share one rule and one key space.
     */
    public static IdempotencyKey key(String principal, String scope, String field, String value, Object request) {
        if (value.isEmpty() || value.length() > MAX_LENGTH || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new InvalidRequestException(field, "must be 1 to " + MAX_LENGTH + " printable ASCII characters, got "
                    + value.length() + " characters");
        }
        return new IdempotencyKey(principal, scope, value, hash(request));
    }

    /**
     * 201 with Location for a resource this request created; 200 with Location and {@code Idempotent-Replayed: true}
     * for one an identical earlier request created.
     */
    static Response submitted(boolean created, Object view, String selfLink) {
        URI location = UriBuilder.fromPath(selfLink).build();
        return created
                ? Response.created(location).entity(view).build()
                : Response.ok(view).location(location).header(REPLAYED_HEADER, "true").build();
    }

    /** SHA-256 (hex) of the request as parsed, in canonical JSON. */
    static String hash(Object request) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed request always serializes", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
