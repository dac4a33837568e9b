package dev.taskq.gateway.api;

import java.util.List;

/** One page of API keys, newest first; pass {@code nextCursor} back as {@code cursor} for the next, until it is null. */
public record ApiKeyPage(List<ApiKeyView> items, String nextCursor) {}
