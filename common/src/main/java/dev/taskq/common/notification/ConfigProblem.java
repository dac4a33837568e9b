package dev.taskq.common.notification;

/** One invalid field of a destination's configuration, named as the client wrote it (e.g. {@code config.webhookUrl}). */
public record ConfigProblem(String field, String message) {}
