package dev.taskq.cli.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** The body of POST /api/v1/schedules; what is not set is left out for the API's default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleRequest(
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
        TaskRequest task,
        // The body of POST /api/v1/workflows, as the user's file holds it: the API checks it.
        JsonNode workflow) {}
