package dev.taskq.gateway.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Schedules, newest first. */
@Schema(name = "ScheduleList")
public record ScheduleList(List<ScheduleView> schedules) {}
