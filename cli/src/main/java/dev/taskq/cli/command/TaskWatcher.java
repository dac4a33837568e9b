package dev.taskq.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.cli.client.ApiClient;
import dev.taskq.cli.client.ApiPaths;
import dev.taskq.cli.client.SseEvent;
import dev.taskq.cli.client.UnreachableException;
import dev.taskq.cli.output.Formats;
import dev.taskq.cli.output.LogPrinter;
import dev.taskq.cli.output.TaskViews;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.common.domain.WorkflowStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Waits for a task to end, telling the user on standard error each time its status changes: by polling the task
 * ({@link #await}), or by following its log stream, whose lines go to standard output ({@link #follow}). A task whose
 * session asks a question (WAITING_FOR_INPUT) stops the wait too: it would not go on before someone answers.
 */
final class TaskWatcher {

    private static final Duration FIRST_POLL = Duration.ofMillis(500);
    private static final Duration SLOWEST_POLL = Duration.ofSeconds(5);
    private static final int RECONNECTS = 5;
    private static final int LOG_PAGE = 1000;

    private final ApiClient api;
    private final ObjectMapper json;
    private final PrintWriter err;
    private final Clock clock;
    private final ZoneId zone;
    private String lastProgress;

    TaskWatcher(ApiClient api, ObjectMapper json, PrintWriter err, Clock clock, ZoneId zone) {
        this.api = api;
        this.json = json;
        this.err = err;
        this.clock = clock;
        this.zone = zone;
    }

    /**
     * Polls the task until it ended or waits for an answer (quickly after a change, then more slowly) and returns it as
     * it is then.
     */
    JsonNode await(String taskId) {
        Duration pause = FIRST_POLL;
        while (true) {
            JsonNode task = api.get(ApiPaths.task(taskId));
            boolean changed = progress(TaskViews.status(task));
            if (settled(task.path("status").asText())) {
                return task;
            }
            pause = changed ? FIRST_POLL : min(pause.multipliedBy(3).dividedBy(2), SLOWEST_POLL);
            sleep(pause);
        }
    }

    /**
     * Polls a workflow until it is no longer RUNNING, telling each change of one of its tasks, and returns it as
     * it ended.
     */
    JsonNode awaitWorkflow(String workflowId) {
        Map<String, String> seen = new HashMap<>();
        Duration pause = FIRST_POLL;
        while (true) {
            JsonNode workflow = api.get(ApiPaths.workflow(workflowId));
            boolean changed = false;
            for (JsonNode node : workflow.path("tasks")) {
                String status = TaskViews.status(node);
                String name = node.hasNonNull("ref") ? node.get("ref").asText() : node.path("id").asText();
                if (!status.equals(seen.put(name, status))) {
                    changed = true;
                    err.println("[" + Formats.clock(clock.instant(), zone) + "] " + name + " " + status);
                }
            }
            err.flush();
            if (!WorkflowStatus.RUNNING.name().equals(workflow.path("status").asText())) {
                progress("workflow " + workflow.path("status").asText());
                return workflow;
            }
            pause = changed ? FIRST_POLL : min(pause.multipliedBy(3).dividedBy(2), SLOWEST_POLL);
            sleep(pause);
        }
    }

    /**
     * Streams the task's log from its first line until the task ended and every line was sent, or until it waits for
     * an answer, and returns the status it ended in (or WAITING_FOR_INPUT). A lost connection is picked up again from
     * the last line seen.
     */
    String follow(String taskId, LogPrinter lines) {
        Follow state = new Follow();
        int failures = 0;
        while (true) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("after", state.cursor);
            long seen = state.events;
            UnreachableException lost = null;
            try {
                api.stream(ApiPaths.task(taskId) + "/logs/stream", query, event -> state.accept(event, lines));
            } catch (UnreachableException e) {
                lost = e;
            } catch (WaitsForAnswer e) {
                // The stream stays open for the resumed session; print what the asking session wrote, then stop.
                drain(taskId, state, lines);
                return TaskStatus.WAITING_FOR_INPUT.name();
            }
            if (state.end != null) {
                return state.end;
            }
            // The stream broke or closed early (the gateway restarting, a proxy timing out): carry on where it
            // stopped, giving up only when several tries in a row bring nothing.
            failures = state.events > seen ? 0 : failures + 1;
            if (failures > RECONNECTS) {
                throw lost != null ? lost : new UnreachableException("the log stream of task " + taskId
                        + " keeps closing before the task ended", null);
            }
            sleep(Duration.ofSeconds(1L << Math.min(failures, 4)));
        }
    }

    /** Prints a progress line when the status (with its reason) differs from the last one printed. */
    private boolean progress(String status) {
        if (Objects.equals(status, lastProgress)) {
            return false;
        }
        lastProgress = status;
        err.println("[" + Formats.clock(clock.instant(), zone) + "] " + status);
        err.flush();
        return true;
    }

    /** Prints the log lines after the follow's cursor, page by page, up to the newest. */
    private void drain(String taskId, Follow state, LogPrinter lines) {
        while (true) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("after", state.cursor);
            query.put("limit", LOG_PAGE);
            JsonNode items = api.get(ApiPaths.task(taskId) + "/logs", query).path("items");
            if (items.isEmpty()) {
                return;
            }
            for (JsonNode line : items) {
                lines.print(line);
                state.cursor = Math.max(state.cursor, line.path("id").asLong());
            }
        }
    }

    /** Whether waiting for a task in {@code status} is over: it ended, or it waits for someone to answer its question. */
    static boolean settled(String status) {
        try {
            TaskStatus known = TaskStatus.valueOf(status);
            return known.isTerminal() || known == TaskStatus.WAITING_FOR_INPUT;
        } catch (IllegalArgumentException e) {
            // A status this CLI does not know yet is not one it can wait out: treat it as final.
            return true;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while waiting for the task", e);
        }
    }

    /** What a follow has seen so far, across reconnects. */
    private final class Follow {
        long cursor;
        long events;
        String end;

        void accept(SseEvent event, LogPrinter lines) {
            events++;
            JsonNode data = read(event.data());
            switch (event.name()) {
                case "log" -> {
                    lines.print(data);
                    cursor = Math.max(cursor, data.path("id").asLong());
                }
                case "status" -> {
                    progress(TaskViews.status(data));
                    if (TaskStatus.WAITING_FOR_INPUT.name().equals(data.path("status").asText())) {
                        throw new WaitsForAnswer();
                    }
                }
                case "end" -> {
                    progress(TaskViews.status(data));
                    end = data.path("status").asText();
                }
                default -> {
                    // Events this CLI does not know are skipped, so a newer gateway can add some.
                }
            }
        }
    }

    /** Thrown out of the stream's event handler to stop following a task that waits for an answer. */
    private static final class WaitsForAnswer extends RuntimeException {
        WaitsForAnswer() {
            super(null, null, false, false);
        }
    }

    private JsonNode read(String data) {
        try {
            return json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new UnreachableException("the log stream sent an event that is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
