package dev.taskq.common.notification;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a notification goes; the lowercase name is what the API and the metrics' {@code channel} tag use. */
public enum ChannelType {
    DISCORD,
    TELEGRAM,
    WEBHOOK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ChannelType> fromWire(String value) {
        return Arrays.stream(values()).filter(type -> type.wireName().equals(value)).findFirst();
    }
}
