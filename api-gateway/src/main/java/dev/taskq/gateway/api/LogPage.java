package dev.taskq.gateway.api;

import dev.taskq.common.domain.TaskStatus;
import java.util.List;

/** A page of a task's log; {@code nextCursor} goes back as {@code after}, {@code complete} once nothing more can come. */
public record LogPage(List<LogLineView> items, long nextCursor, TaskStatus taskStatus, boolean complete) {}
