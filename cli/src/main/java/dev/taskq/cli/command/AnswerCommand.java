package dev.taskq.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.output.TaskViews;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq answer ID TEXT}: POST /api/v1/tasks/{id}/answer, the answer to the question a task's session asked. */
@Command(name = "answer", mixinStandardHelpOptions = true,
        description = {"Answer the question a task's session asked (the task is WAITING_FOR_INPUT; taskq status ID shows the question).",
                "The task is queued again and the same session resumes with the question and the answer.",
                "Exits 3 when the task is not waiting for an answer, 4 when there is no such task."})
public final class AnswerCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The task waiting for an answer.")
    UUID id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT",
            description = "The answer; - reads it from standard input. Or give --file.")
    String text;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the answer from this file (UTF-8), for long answers.")
    Path file;

    @Mixin
    WaitOptions waiting;

    @Override
    public Integer call() {
        JsonNode task = api().post(ApiPaths.task(id.toString()) + "/answer", Map.of("answer", answer())).body();
        return printOrWatch(task, task, waiting, out -> out.println("Answered task " + task.path("id").asText() + ": "
                + TaskViews.status(task)));
    }

    /** The answer from TEXT, standard input or --file (exactly one), without trailing blank lines. */
    String answer() {
        if ((text == null) == (file == null)) {
            throw usage("give the answer as TEXT, as - (standard input) or with --file FILE, one of them");
        }
        String answer;
        if (file != null) {
            try {
                answer = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
            } catch (IOException e) {
                throw usage("cannot read the answer from " + file + ": " + e.getMessage());
            }
        } else {
            answer = argumentOrStdin(text, "answer");
        }
        if (answer.isBlank()) {
            throw usage("the answer is empty");
        }
        return answer;
    }
}
