package dev.taskq.gateway.api;

import java.util.List;

/** One page of the task list; pass {@code nextCursor} back as {@code cursor} for the next, until it is null. */
public record TaskPage(List<TaskSummary> items, String nextCursor) {}
