package dev.taskq.gateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;

/**
 * For a field of free text that must arrive as a JSON string. Jackson would turn {@code "prompt": 5} into the prompt
 * "5", and a number or boolean where text belongs is a client's bug, not what it meant to run: it is refused as
 * "must be a string" like any other wrong type. Fields where a number is a natural way to write the value (priority,
 * a Telegram chatId, metadata values) keep Jackson's coercion.
 */
public final class JsonTextOnly extends StdScalarDeserializer<String> {

    public JsonTextOnly() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            return parser.getText();
        }
        return (String) context.handleUnexpectedToken(String.class, parser);
    }
}
