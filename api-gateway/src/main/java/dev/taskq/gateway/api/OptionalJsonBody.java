package dev.taskq.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;

/**
 * Reads the optional JSON body of an action (retry, resume): a bare {@code POST} with no body and no content type
 * means "all defaults", which JAX-RS would otherwise refuse with a 415 for want of a JSON content type.
 */
final class OptionalJsonBody {

    private OptionalJsonBody() {}

    /** The body as {@code type}, or null when there is none; errors are the same problems a JSON body gets elsewhere. */
    static <T> T read(String body, MediaType mediaType, Class<T> type, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (mediaType != null && !MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType)) {
            throw new NotSupportedException();
        }
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            // Wrapped as JAX-RS wraps a body it cannot read, so the same mapper reports it.
            throw new BadRequestException(e);
        }
    }
}
