package dev.taskq.store.schedule;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.store.lifecycle.NewTask;
import dev.taskq.store.notification.TaskNotificationEntity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The task a schedule creates at each run: a validated task and its checked notify entries, stored as jsonb. */
public record TaskTemplate(NewTask task, List<NotifyTarget> notifyTargets) {

    /** One checked notify entry: a configured destination's id, or an inline type with its config. */
    public record NotifyTarget(UUID destinationId, ChannelType type, Map<String, Object> config, List<String> eventTypes) {

        public static NotifyTarget of(TaskNotificationEntity entry) {
            return new NotifyTarget(entry.destinationId, entry.type, entry.config, entry.eventTypes);
        }
    }

    public static TaskTemplate of(NewTask task, List<TaskNotificationEntity> notify) {
        return new TaskTemplate(task, notify.stream().map(NotifyTarget::of).toList());
    }

    /** Fresh notify rows for one new task (TaskCreator sets their task id). */
    public List<TaskNotificationEntity> notifyEntries() {
        List<TaskNotificationEntity> rows = new ArrayList<>();
        List<NotifyTarget> targets = notifyTargets == null ? List.of() : notifyTargets;
        for (int i = 0; i < targets.size(); i++) {
            NotifyTarget target = targets.get(i);
            TaskNotificationEntity row = new TaskNotificationEntity();
            row.key = new TaskNotificationEntity.Key(null, i);
            row.destinationId = target.destinationId();
            row.type = target.type();
            row.config = target.config() == null ? null : new LinkedHashMap<>(target.config());
            row.eventTypes = target.eventTypes() == null ? List.of() : List.copyOf(target.eventTypes());
            row.enabled = true;
            rows.add(row);
        }
        return rows;
    }
}
