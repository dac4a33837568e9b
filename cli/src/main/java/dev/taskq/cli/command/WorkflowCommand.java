package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.output.Formats;
import dev.taskq.cli.output.Table;
import dev.taskq.cli.output.TaskViews;
import dev.taskq.common.domain.WorkflowStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq workflow ...}: DAGs of tasks submitted in one request. */
@Command(name = "workflow", mixinStandardHelpOptions = true,
        description = "Submit, show, list and cancel workflows: graphs of tasks submitted in one request.",
        subcommands = {WorkflowCommand.Submit.class, WorkflowCommand.Status.class, WorkflowCommand.ListWorkflows.class,
                WorkflowCommand.Cancel.class})
public final class WorkflowCommand extends GroupCommand {

    /** {@code taskq workflow submit FILE}: POST /api/v1/workflows with the file's content. */
    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Submit a workflow from a YAML or JSON file shaped like the body of POST /api/v1/workflows:",
                    "name, metadata, and tasks, each with a ref, a prompt, dependsOn (refs or task ids), continueFrom,",
                    "onDependencyFailure and any task setting. Example:",
                    "  name: review",
                    "  tasks:",
                    "    - {ref: build, prompt: Build the project and fix compile errors}",
                    "    - {ref: test, prompt: Run the tests, dependsOn: [build], continueFrom: build}"})
    static final class Submit extends ApiCommand {

        @Parameters(paramLabel = "FILE", description = "The workflow, .yaml/.yml or .json; - reads it from standard input.")
        String file;

        @Option(names = "--idempotency-key", paramLabel = "KEY",
                description = "Submitting again with the same key returns the workflow the first submission created.")
        String idempotencyKey;

        @Option(names = "--wait",
                description = "Block until every task ended, showing each task's status changes on standard error, then"
                        + " print the workflow. Exits 1 unless it SUCCEEDED.")
        boolean await;

        @Override
        public Integer call() {
            JsonNode body = read();
            Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
            var response = api().post(ApiPaths.WORKFLOWS, body, headers);
            JsonNode workflow = response.body();
            String summary = (response.status() == 200 ? "Already submitted with this idempotency key: workflow " : "Submitted workflow ")
                    + workflow.path("id").asText() + ": " + workflow.path("status").asText();
            if (!await) {
                if (json()) {
                    printJson(workflow);
                } else {
                    out().println(summary);
                    printNodes(out(), workflow);
                }
                return ExitCodes.OK;
            }
            err().println(summary);
            JsonNode ended = watcher().awaitWorkflow(workflow.path("id").asText());
            if (json()) {
                printJson(ended);
            } else {
                printWorkflow(out(), ended, now(), environment().zone());
            }
            return WorkflowStatus.SUCCEEDED.name().equals(ended.path("status").asText()) ? ExitCodes.OK : ExitCodes.UNSUCCESSFUL;
        }

        JsonNode read() {
            return readObjectFile(file, "an object with name and tasks");
        }
    }

    /** {@code taskq workflow status ID}: GET /api/v1/workflows/{id}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a workflow: its status and every task's.")
    static final class Status extends ApiCommand {

        @Parameters(paramLabel = "ID", description = "The workflow id.")
        UUID id;

        @Override
        public Integer call() {
            JsonNode workflow = api().get(ApiPaths.workflow(id.toString()));
            if (json()) {
                printJson(workflow);
            } else {
                printWorkflow(out(), workflow, now(), environment().zone());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code taskq workflow list}: GET /api/v1/workflows. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List workflows, newest first.")
    static final class ListWorkflows extends ApiCommand {

        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "Only workflows in these statuses: ${COMPLETION-CANDIDATES}.")
        List<WorkflowStatus> statuses = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw usage("--limit must be at least 1");
            }
            Map<String, Object> filters = new LinkedHashMap<>();
            filters.put("status", statuses.isEmpty() ? null : statuses.stream().map(Enum::name).toList());
            ObjectNode page = Pager.collect(api(), ApiPaths.WORKFLOWS, filters, limit);
            if (json()) {
                printJson(page);
                return ExitCodes.OK;
            }
            Table table = new Table("ID", "NAME", "STATUS", "UNFINISHED", "AGE");
            for (JsonNode workflow : page.path("items")) {
                table.row(workflow.path("id"), workflow.path("name"), workflow.path("status"), workflow.path("unfinishedTasks"),
                        Formats.age(Formats.instant(workflow.path("createdAt")), now()));
            }
            if (table.isEmpty()) {
                out().println("No workflows.");
            } else {
                table.print(out());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code taskq workflow cancel ID}: POST /api/v1/workflows/{id}/cancel. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel every task of a workflow that has not ended.")
    static final class Cancel extends ApiCommand {

        @Parameters(paramLabel = "ID", description = "The workflow id.")
        UUID id;

        @Override
        public Integer call() {
            JsonNode workflow = api().post(ApiPaths.workflow(id.toString()) + "/cancel", null).body();
            if (json()) {
                printJson(workflow);
            } else {
                out().println("Cancelled workflow " + workflow.path("id").asText() + ": " + workflow.path("status").asText());
                printNodes(out(), workflow);
            }
            return ExitCodes.OK;
        }
    }

    static void printWorkflow(PrintWriter out, JsonNode workflow, Instant now, java.time.ZoneId zone) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Workflow", Formats.cell(workflow.path("id"))});
        fields.add(new String[] {"Name", Formats.cell(workflow.path("name"))});
        fields.add(new String[] {"Status", workflow.path("status").asText() + " (" + workflow.path("unfinishedTasks").asInt()
                + " of " + workflow.path("tasks").size() + " tasks unfinished)"});
        Instant created = Formats.instant(workflow.path("createdAt"));
        fields.add(new String[] {"Created", Formats.localTime(created, zone) + " (" + Formats.age(created, now) + " ago)"});
        Instant finished = Formats.instant(workflow.path("finishedAt"));
        if (finished != null) {
            fields.add(new String[] {"Finished", Formats.localTime(finished, zone) + " (" + Formats.age(finished, now) + " ago)"});
        }
        TaskViews.printFields(out, fields);
        printNodes(out, workflow);
    }

    private static void printNodes(PrintWriter out, JsonNode workflow) {
        Table table = new Table("REF", "ID", "STATUS", "DEPENDS ON", "REASON");
        for (JsonNode node : workflow.path("tasks")) {
            List<String> dependsOn = new ArrayList<>();
            node.path("dependsOn").forEach(dependency -> dependsOn.add(dependency.asText()));
            table.row(node.path("ref"), node.path("id"), node.path("status"), String.join(",", dependsOn), node.path("statusReason"));
        }
        out.println();
        table.print(out);
    }
}
