package dev.taskq.gateway.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule's runs, latest fire time first. */
@Schema(name = "ScheduleRunList")
public record ScheduleRunList(List<ScheduleRunView> runs) {}
