package dev.taskq.gateway.persistence;

import dev.taskq.store.persistence.TaskEntity;
import java.util.List;

/** One page of the newest-first task list; {@code next} is null on the last page. */
public record TaskListPage(List<TaskEntity> tasks, ListCursor next) {}
