package dev.taskq.gateway.persistence;

import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One page of the newest-first task list, with the open question of each task on it that waits for an answer (by task
 * id); {@code next} is null on the last page.
 */
public record TaskListPage(List<TaskEntity> tasks, Map<UUID, TaskQuestionEntity> pendingQuestions, ListCursor next) {}
