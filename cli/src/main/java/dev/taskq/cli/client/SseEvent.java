package dev.taskq.cli.client;

/** One Server-Sent Event: its name ({@code message} when the stream named none), its id (or null) and its data. */
public record SseEvent(String name, String id, String data) {}
