package dev.taskq.gateway.api;

import java.util.List;

/** One page of the workflow list; pass {@code nextCursor} back as {@code cursor} for the next, until it is null. */
public record WorkflowPage(List<WorkflowSummary> items, String nextCursor) {}
