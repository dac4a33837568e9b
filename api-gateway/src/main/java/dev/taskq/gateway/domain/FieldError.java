package dev.taskq.gateway.domain;

/** One offending input: the field as the client named it (e.g. {@code dependsOn[0]}) and what is wrong with it. */
public record FieldError(String field, String message) {}
