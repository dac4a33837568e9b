package dev.taskq.gateway.domain;

import java.util.List;
import java.util.Map;

/** A workflow as a client submitted it: its tasks still name their dependencies by ref or id, as text. */
public record WorkflowDraft(String name, Map<String, String> metadata, List<Task> tasks, List<NotifyEntry> notifyEntries) {

    /**
     * One node: its ref, its dependency entries and {@code continueFrom} (refs or task ids), and everything else of
     * the task as a draft whose dependencies are filled in once the refs are resolved.
     */
    public record Task(String ref, List<String> dependsOn, String continueFrom, TaskDraft task, List<NotifyEntry> notifyEntries) {}
}
