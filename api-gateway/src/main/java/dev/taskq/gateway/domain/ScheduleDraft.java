package dev.taskq.gateway.domain;

import java.util.List;

/**
 * A schedule as a client sent it, its task or workflow template already turned into a draft; times are still text so that a bad
 * one is a 422 naming its field rather than a JSON error.
 */
public record ScheduleDraft(
        String name,
        String cron,
        String timezone,
        String runAt,
        String missedRunPolicy,
        Integer maxCatchup,
        String overlapPolicy,
        String startAt,
        String endAt,
        Integer maxRuns,
        TaskDraft task,
        List<NotifyEntry> notifyEntries,
        WorkflowDraft workflow) {}
