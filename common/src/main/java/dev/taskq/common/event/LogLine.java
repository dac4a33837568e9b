package dev.taskq.common.event;

import dev.taskq.common.domain.LogKind;
import java.time.Instant;

/** One rendered line of session output; lineNumber counts from 1 within an attempt. */
public record LogLine(long lineNumber, Instant at, LogKind kind, String text) {}
