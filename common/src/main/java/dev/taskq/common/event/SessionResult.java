package dev.taskq.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** The fields of the CLI's stream-json {@code result} line that taskq keeps. */
public record SessionResult(
        String subtype,
        boolean isError,
        Integer numTurns,
        BigDecimal totalCostUsd,
        JsonNode usage,
        JsonNode modelUsage,
        String sessionId,
        String resultText,
        Integer apiErrorStatus,
        Long durationMs) {}
