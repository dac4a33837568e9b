package dev.taskq.gateway.persistence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A position in the newest-first task list: the (createdAt, id) of the last task a page returned. */
public record ListCursor(Instant createdAt, UUID id) {

    /** Opaque (base64url), so clients pass it back rather than build one. */
    public String encode() {
        String plain = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Throws IllegalArgumentException when the text is not a cursor this class encoded. */
    public static ListCursor decode(String text) {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int separator = plain.indexOf('|');
        if (separator < 0) {
            throw new IllegalArgumentException("not a list cursor");
        }
        try {
            return new ListCursor(Instant.parse(plain.substring(0, separator)), UUID.fromString(plain.substring(separator + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a list cursor", e);
        }
    }
}
