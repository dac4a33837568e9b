package dev.taskq.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.taskq.cli.CliEnvironment;
import dev.taskq.cli.TaskqCommand;
import dev.taskq.cli.client.ApiClient;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.ExitCodes;
import dev.taskq.cli.output.LogPrinter;
import dev.taskq.cli.output.OutputFormat;
import dev.taskq.cli.output.TaskViews;
import dev.taskq.common.domain.TaskStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that calls the API shares: the client, the writers, the output format and the clock. */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    TaskqCommand root() {
        return (TaskqCommand) spec.root().userObject();
    }

    ApiClient api() {
        return root().client();
    }

    CliEnvironment environment() {
        return root().environment();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return root().output() == OutputFormat.JSON;
    }

    Instant now() {
        return environment().clock().instant();
    }

    /** Prints a JSON document as the API sent it, indented. */
    void printJson(JsonNode node) {
        try {
            out().println(root().json().writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }

    /** Prints a JSON document on one line: one record of a stream of them (log lines). */
    void printJsonLine(JsonNode node) {
        out().println(node.toString());
        out().flush();
    }

    TaskViews views() {
        return new TaskViews(now(), environment().zone());
    }

    TaskWatcher watcher() {
        return new TaskWatcher(api(), root().json(), err(), environment().clock(), environment().zone());
    }

    /**
     * Prints what a command created ({@code created}, whose task is {@code task}): without waiting, as JSON or as
     * {@code summary}; when waiting, the summary goes to standard error and what the wait shows to standard output.
     * The exit code says whether the task succeeded when waited for, or asks a question.
     */
    int printOrWatch(JsonNode created, JsonNode task, WaitOptions waiting, Consumer<PrintWriter> summary) {
        if (!waiting.waits()) {
            if (json()) {
                printJson(created);
            } else {
                summary.accept(out());
                out().flush();
            }
            return ExitCodes.OK;
        }
        summary.accept(err());
        err().flush();
        String id = task.path("id").asText();
        TaskWatcher watcher = watcher();
        String status = task.path("status").asText();
        if (waiting.follow) {
            status = watcher.follow(id, new LogPrinter(out(), json()));
        }
        if (waiting.await) {
            JsonNode ended = watcher.await(id);
            status = ended.path("status").asText();
            if (json()) {
                printJson(ended);
            } else {
                views().printTask(out(), ended);
            }
        } else if (TaskStatus.WAITING_FOR_INPUT.name().equals(status)) {
            tellQuestion(id);
        }
        return exitCode(status);
    }

    /** The exit code of a wait that ended with the task in {@code status}. */
    static int exitCode(String status) {
        if (TaskStatus.SUCCEEDED.name().equals(status)) {
            return ExitCodes.OK;
        }
        return TaskStatus.WAITING_FOR_INPUT.name().equals(status) ? ExitCodes.NEEDS_ANSWER : ExitCodes.UNSUCCESSFUL;
    }

    /** Tells, on standard error, the question a task waits to have answered and how to answer it. */
    void tellQuestion(String taskId) {
        JsonNode question = api().get(ApiPaths.task(taskId)).path("question");
        err().println("Task " + taskId + " waits for an answer to its question:");
        question.path("text").asText().lines().forEach(line -> err().println("  " + line));
        err().println("Answer it with: taskq answer " + taskId + " TEXT");
        err().flush();
    }

    /** The text of an argument that may be "-": then standard input is read. */
    String argumentOrStdin(String argument, String what) {
        if (!"-".equals(argument)) {
            return argument;
        }
        try {
            return new String(environment().stdin().readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw usage("cannot read the " + what + " from standard input: " + e.getMessage());
        }
    }

    /**
     * A file (or "-", standard input) holding one JSON object, as a tree: YAML unless the file is named .json (standard
     * input: JSON when it starts with '{'). {@code what} names it in errors, e.g. "a workflow with name and tasks".
     */
    JsonNode readObjectFile(String file, String what) {
        String text;
        try {
            text = "-".equals(file) ? argumentOrStdin(file, "file") : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw usage("cannot read " + file + ": " + e.getMessage());
        }
        boolean isJson = file.endsWith(".json") || ("-".equals(file) && text.stripLeading().startsWith("{"));
        ObjectMapper reader = isJson ? root().json() : new ObjectMapper(new YAMLFactory());
        JsonNode tree;
        try {
            tree = reader.readTree(text);
        } catch (IOException e) {
            throw usage(file + " is not valid " + (isJson ? "JSON" : "YAML") + ": " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode)) {
            throw usage(file + " must hold " + what);
        }
        return tree;
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
