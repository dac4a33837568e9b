package dev.taskq.gateway.api;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A pipeline: its steps' schedules in order (each also under /api/v1/schedules, with its runs). */
@Schema(name = "Pipeline")
public record PipelineView(UUID id, List<ScheduleView> steps) {}
