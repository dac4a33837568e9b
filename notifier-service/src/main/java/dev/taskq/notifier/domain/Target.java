package dev.taskq.notifier.domain;

import dev.taskq.common.notification.ChannelType;
import java.util.Map;

/** Where a delivery goes: its channel and the destination's configuration, secrets included (never log it). */
public record Target(ChannelType channel, Map<String, Object> config) {

    public String string(String field) {
        Object value = config.get(field);
        return value == null ? null : String.valueOf(value);
    }

    @Override
    public String toString() {
        return "Target[" + channel + "]";
    }
}
