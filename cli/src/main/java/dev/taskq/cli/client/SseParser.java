package dev.taskq.cli.client;

import java.util.function.Consumer;

/**
 * Turns the lines of a text/event-stream into events, as the HTML standard's parsing rules say: {@code event},
 * {@code id} and {@code data} fields (data lines joined by newlines), comments ignored, a blank line dispatches.
 */
public final class SseParser {

    private final Consumer<SseEvent> events;
    private String name;
    private String id;
    private StringBuilder data;

    public SseParser(Consumer<SseEvent> events) {
        this.events = events;
    }

    /** Feeds one line, without its line terminator. */
    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "id" -> id = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry and unknown fields: nothing a one-shot reader needs.
            }
        }
    }

    private void dispatch() {
        if (data != null) {
            events.accept(new SseEvent(name == null || name.isEmpty() ? "message" : name, id, data.toString()));
        }
        name = null;
        data = null;
        // The id is kept: per the standard it is the stream's last event id until another one is sent.
    }
}
