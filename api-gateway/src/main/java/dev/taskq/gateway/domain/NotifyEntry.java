package dev.taskq.gateway.domain;

import dev.taskq.common.notification.ChannelType;
import java.util.List;
import java.util.Map;

/** One entry of a task's notify list as a client sent it: a destination name, or an inline type with its config. */
public record NotifyEntry(String destination, ChannelType type, String typeName, Map<String, Object> config, List<String> events) {}
