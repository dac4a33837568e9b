package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.client.ScheduleRequest;
import dev.taskq.cli.output.Formats;
import dev.taskq.cli.output.Table;
import dev.taskq.cli.output.TaskViews;
import dev.taskq.common.schedule.MissedRunPolicy;
import dev.taskq.common.schedule.OverlapPolicy;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq schedule ...}: tasks created on a cron schedule or once at a time. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Create, show, list, pause, resume and cancel schedules: a task created on a cron schedule or once.",
        subcommands = {ScheduleCommand.Create.class, ScheduleCommand.ListSchedules.class, ScheduleCommand.Get.class,
                ScheduleCommand.Runs.class, ScheduleCommand.Pause.class, ScheduleCommand.Resume.class,
                ScheduleCommand.Cancel.class})
public final class ScheduleCommand extends GroupCommand {

    /** {@code taskq schedule create}: POST /api/v1/schedules. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create a schedule whose runs each create the task PROMPT with the task options given, or",
                    "with --workflow FILE the whole workflow in FILE (as taskq workflow submit takes it)."})
    static final class Create extends ApiCommand {

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name people recognise it by.")
        String name;

        @Option(names = "--cron", paramLabel = "EXPR",
                description = "5-field cron (minute hour day month weekday) or @hourly, @daily, @weekly, ...; or give --run-at.")
        String cron;

        @Option(names = "--timezone", paramLabel = "ZONE", description = "The IANA zone the cron is read in (default UTC).")
        String timezone;

        @Option(names = "--run-at", paramLabel = "TIME",
                description = "Fire once at this ISO date-time with offset, e.g. 2026-05-01T09:00:00+02:00; or give --cron.")
        String runAt;

        @Option(names = "--missed-run-policy", paramLabel = "POLICY",
                description = "Fire times missed while no scheduler ran: ${COMPLETION-CANDIDATES} (default skip).")
        MissedRunPolicy missedRunPolicy;

        @Option(names = "--max-catchup", paramLabel = "N", description = "The most missed fire times catchup fires (default 10).")
        Integer maxCatchup;

        @Option(names = "--overlap-policy", paramLabel = "POLICY",
                description = "When due while the previous run's task has not ended: ${COMPLETION-CANDIDATES} (default skip).")
        OverlapPolicy overlapPolicy;

        @Option(names = "--start-at", paramLabel = "TIME", description = "No fire time before this ISO date-time (cron only).")
        String startAt;

        @Option(names = "--end-at", paramLabel = "TIME", description = "No fire time after this ISO date-time (cron only).")
        String endAt;

        @Option(names = "--max-runs", paramLabel = "N", description = "Completed after this many runs that created a task.")
        Integer maxRuns;

        @Option(names = "--workflow", paramLabel = "FILE",
                description = "Each run creates this workflow (YAML, or JSON when named .json; - reads standard input) instead of PROMPT.")
        String workflowFile;

        @Parameters(paramLabel = "PROMPT", arity = "0..1",
                description = "What each run's session should do; - reads it from standard input.")
        String prompt;

        @Mixin
        TaskOptions task;

        @Override
        public Integer call() {
            JsonNode schedule = api().post(ApiPaths.SCHEDULES, request()).body();
            if (json()) {
                printJson(schedule);
            } else {
                out().println("Created schedule " + schedule.path("id").asText());
                printSchedule(out(), schedule, environment().zone());
            }
            return ExitCodes.OK;
        }

        ScheduleRequest request() {
            if ((cron == null) == (runAt == null)) {
                throw usage("Give exactly one of --cron (with --timezone) and --run-at.");
            }
            if (timezone != null && cron == null) {
                throw usage("--timezone goes with --cron; --run-at carries its own offset.");
            }
            if ((prompt == null) == (workflowFile == null)) {
                throw usage("Give exactly one of PROMPT (each run creates a task) and --workflow FILE (each run creates the workflow).");
            }
            return new ScheduleRequest(name, cron, timezone, runAt, missedRunPolicy == null ? null : missedRunPolicy.wire(),
                    maxCatchup, overlapPolicy == null ? null : overlapPolicy.wire(), startAt, endAt, maxRuns,
                    prompt == null ? null : task.toRequest(argumentOrStdin(prompt, "prompt")),
                    workflowFile == null ? null : readObjectFile(workflowFile, "a workflow: an object with name and tasks"));
        }
    }

    /** {@code taskq schedule list}: GET /api/v1/schedules. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List schedules, newest first.")
    static final class ListSchedules extends ApiCommand {

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many, 1 to 200 (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            JsonNode list = api().get(ApiPaths.SCHEDULES, Map.of("limit", limit));
            if (json()) {
                printJson(list);
                return ExitCodes.OK;
            }
            Table table = new Table("ID", "NAME", "STATUS", "WHEN", "NEXT FIRE", "RUNS");
            for (JsonNode schedule : list.path("schedules")) {
                table.row(schedule.path("id"), schedule.path("name"), schedule.path("status"), when(schedule, environment().zone()),
                        Formats.localTime(Formats.instant(schedule.path("nextFireAt")), environment().zone()),
                        schedule.path("runsFired"));
            }
            if (table.isEmpty()) {
                out().println("No schedules.");
            } else {
                table.print(out());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code taskq schedule get ID}: GET /api/v1/schedules/{id}. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a schedule with its next fire times.")
    static final class Get extends ApiCommand {

        @Parameters(paramLabel = "ID", description = "The schedule id.")
        UUID id;

        @Override
        public Integer call() {
            JsonNode schedule = api().get(ApiPaths.schedule(id.toString()));
            if (json()) {
                printJson(schedule);
            } else {
                printSchedule(out(), schedule, environment().zone());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code taskq schedule runs ID}: GET /api/v1/schedules/{id}/runs. */
    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = "List a schedule's runs, latest first, with the task or workflow each created and how it stands.")
    static final class Runs extends ApiCommand {

        @Parameters(paramLabel = "ID", description = "The schedule id.")
        UUID id;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most this many, 1 to 500 (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            JsonNode runs = api().get(ApiPaths.schedule(id.toString()) + "/runs", Map.of("limit", limit));
            if (json()) {
                printJson(runs);
                return ExitCodes.OK;
            }
            Table table = new Table("FIRE TIME", "OUTCOME", "TASK", "TASK STATUS", "WORKFLOW", "WORKFLOW STATUS", "REASON");
            for (JsonNode run : runs.path("runs")) {
                table.row(Formats.localTime(Formats.instant(run.path("fireTime")), environment().zone()), run.path("outcome"),
                        run.path("taskId"), run.path("taskStatus"), run.path("workflowId"), run.path("workflowStatus"),
                        run.path("reason"));
            }
            if (table.isEmpty()) {
                out().println("No runs yet.");
            } else {
                table.print(out());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code taskq schedule pause|resume|cancel ID}: one POST that changes the schedule's status. */
    abstract static class Change extends ApiCommand {

        @Parameters(paramLabel = "ID", description = "The schedule id.")
        UUID id;

        abstract String action();

        abstract String done();

        @Override
        public Integer call() {
            JsonNode schedule = api().post(ApiPaths.schedule(id.toString()) + "/" + action(), null).body();
            if (json()) {
                printJson(schedule);
            } else {
                out().println(done() + " schedule " + schedule.path("id").asText() + ": " + schedule.path("status").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop an ACTIVE schedule firing until resumed.")
    static final class Pause extends Change {
        @Override
        String action() {
            return "pause";
        }

        @Override
        String done() {
            return "Paused";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Let a PAUSED schedule fire again, from its first fire time after now.")
    static final class Resume extends Change {
        @Override
        String action() {
            return "resume";
        }

        @Override
        String done() {
            return "Resumed";
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Stop a schedule for good; the tasks it created are left alone.")
    static final class Cancel extends Change {
        @Override
        String action() {
            return "cancel";
        }

        @Override
        String done() {
            return "Cancelled";
        }
    }

    /** "cron 30 2 * * 1-5 (Europe/Berlin)" or "once at 2026-05-01 09:00:00" (local time). */
    private static String when(JsonNode schedule, ZoneId zone) {
        if (schedule.hasNonNull("cron")) {
            return "cron " + schedule.path("cron").asText() + " (" + schedule.path("timezone").asText() + ")";
        }
        return "once at " + Formats.localTime(Formats.instant(schedule.path("runAt")), zone);
    }

    static void printSchedule(PrintWriter out, JsonNode schedule, ZoneId zone) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Schedule", Formats.cell(schedule.path("id"))});
        fields.add(new String[] {"Name", Formats.cell(schedule.path("name"))});
        fields.add(new String[] {"Status", Formats.cell(schedule.path("status"))});
        fields.add(new String[] {"When", when(schedule, zone)});
        List<String> next = new ArrayList<>();
        schedule.path("nextFireTimes").forEach(time -> next.add(Formats.localTime(Formats.instant(time), zone)));
        fields.add(new String[] {"Next fires", next.isEmpty() ? "-" : String.join(", ", next)});
        fields.add(new String[] {"Runs fired", schedule.path("runsFired").asText()
                + (schedule.hasNonNull("maxRuns") ? " of at most " + schedule.path("maxRuns").asText() : "")});
        if (schedule.hasNonNull("lastTaskId")) {
            fields.add(new String[] {"Last task", schedule.path("lastTaskId").asText()});
        }
        fields.add(new String[] {"Missed runs", schedule.path("missedRunPolicy").asText()
                + " (catch up at most " + schedule.path("maxCatchup").asText() + ")"});
        fields.add(new String[] {"Overlap", schedule.path("overlapPolicy").asText()});
        if (schedule.hasNonNull("workflow")) {
            List<String> refs = new ArrayList<>();
            schedule.path("workflow").path("tasks").forEach(node -> refs.add(node.path("ref").asText()));
            fields.add(new String[] {"Workflow", refs.size() + " tasks: " + String.join(", ", refs)});
        } else {
            JsonNode task = schedule.path("task");
            fields.add(new String[] {"Task", Formats.truncate(Formats.oneLine(task.path("prompt").asText()), 200)});
            fields.add(new String[] {"Task pool", task.path("pool").asText() + ", priority " + task.path("priority").asText()
                    + " (" + task.path("priorityClass").asText() + ")"});
        }
        TaskViews.printFields(out, fields);
        out.flush();
    }
}
