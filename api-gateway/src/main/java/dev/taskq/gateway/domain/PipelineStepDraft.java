package dev.taskq.gateway.domain;

import java.util.List;

/** One step of a pipeline as a client sent it: its task, and how long after the previous step it fires. */
public record PipelineStepDraft(TaskDraft task, List<NotifyEntry> notifyEntries, Integer delaySeconds) {}
