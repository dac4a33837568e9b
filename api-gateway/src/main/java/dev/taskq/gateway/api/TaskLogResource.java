package dev.taskq.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.common.domain.TaskStatus;
import dev.taskq.gateway.config.GatewayConfig;
import dev.taskq.gateway.persistence.LogBatch;
import dev.taskq.gateway.persistence.TaskLogRepository;
import dev.taskq.store.lifecycle.TaskNotFoundException;
import dev.taskq.store.persistence.TaskLogEntity;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** A task's session output: paged, or followed live as Server-Sent Events. */
@Path(TaskResource.PATH + "/{id}/logs")
@RunOnVirtualThread
@Tag(name = "Logs")
@APIResponse(responseCode = "400", description = "The id, cursor or limit is invalid",
        content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No such task",
        content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class TaskLogResource {

    private static final Logger LOG = Logger.getLogger(TaskLogResource.class);
    private static final int DEFAULT_PAGE = 500;
    private static final int MAX_PAGE = 1000;

    private final TaskLogRepository logs;
    private final GatewayConfig.Logs config;
    private final ObjectMapper json;
    private volatile boolean shuttingDown;

    public TaskLogResource(TaskLogRepository logs, GatewayConfig config, ObjectMapper json) {
        this.logs = logs;
        this.config = config.logs();
        this.json = json;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read a task's log", description = "Lines in order after a cursor; complete once the task finished and no line is left.")
    @APIResponse(responseCode = "200", description = "A page of log lines",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LogPage.class)))
    public LogPage page(
            @PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            @QueryParam("after") @Parameter(description = "Return lines after this line id (nextCursor of the previous page); 0 or absent for the start",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0")) String after,
            @QueryParam("limit") @Parameter(description = "Page size, 1 to 1000 (default 500)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "500")) String limit) {
        UUID taskId = RequestParams.taskId(id);
        long cursor = RequestParams.logCursor("after", after);
        LogBatch batch = logs.read(taskId, cursor, RequestParams.limit(limit, DEFAULT_PAGE, MAX_PAGE))
                .orElseThrow(() -> new TaskNotFoundException(taskId));
        long next = batch.lines().isEmpty() ? cursor : batch.lines().getLast().id;
        return new LogPage(batch.lines().stream().map(LogLineView::of).toList(), next, batch.status(), batch.complete(),
                batch.logsDeletedAt());
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow a task's log live",
            description = "Server-Sent Events: 'status' when the task's status changes (and first), 'log' per line (id = the line id,"
                    + " data = a log line), and 'end' (data = the final status) once the task finished and every line was sent."
                    + " Resumes after Last-Event-ID or ?after=.")
    @APIResponse(responseCode = "200", description = "An event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    public void stream(
            @PathParam("id") @Parameter(description = "The task id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            @HeaderParam("Last-Event-ID") @Parameter(description = "Set by an EventSource when it reconnects; wins over ?after=") String lastEventId,
            @QueryParam("after") @Parameter(description = "Start after this line id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
            String after,
            @Context SseEventSink sink,
            @Context Sse sse) {
        UUID taskId = RequestParams.taskId(id);
        long cursor = lastEventId != null && !lastEventId.isBlank()
                ? RequestParams.logCursor("Last-Event-ID", lastEventId)
                : RequestParams.logCursor("after", after);
        // Read once before the stream opens, so an unknown task is an ordinary 404 rather than an empty stream.
        LogBatch first = logs.read(taskId, cursor, config.streamBatchSize()).orElseThrow(() -> new TaskNotFoundException(taskId));
        try (sink) {
            follow(taskId, cursor, first, new EventSender(sink, sse));
        } catch (ClientGone e) {
            LOG.debugf("Log stream of task %s closed by the client", taskId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends what each poll found, then sleeps. A full batch is read on at once, so a long backlog streams
     * at full speed; each poll is its own short transaction, so an idle stream holds no connection.
     */
    private void follow(UUID taskId, long cursor, LogBatch batch, EventSender events) throws InterruptedException {
        TaskStatus sentStatus = null;
        long quietSince = System.nanoTime();
        while (true) {
            if (batch.status() != sentStatus) {
                events.send("status", null, new StreamStatus(batch.status(), batch.statusReason()));
                sentStatus = batch.status();
                quietSince = System.nanoTime();
            }
            for (TaskLogEntity line : batch.lines()) {
                events.send("log", line.id, LogLineView.of(line));
                cursor = line.id;
                quietSince = System.nanoTime();
            }
            if (batch.complete()) {
                events.send("end", null, new StreamStatus(batch.status(), batch.statusReason()));
                return;
            }
            if (!batch.more()) {
                if (Duration.ofNanos(System.nanoTime() - quietSince).compareTo(config.streamKeepAlive()) >= 0) {
                    events.comment("keep-alive");
                    quietSince = System.nanoTime();
                }
                Thread.sleep(config.streamPollInterval());
            }
            if (shuttingDown || events.closed()) {
                return;
            }
            var next = logs.read(taskId, cursor, config.streamBatchSize());
            if (next.isEmpty()) {
                // The task was deleted while followed: there is nothing more to send.
                return;
            }
            batch = next.get();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
    }

    /** Writes events to one client, waiting for each write so a slow client slows its own stream only. */
    private final class EventSender {
        private final SseEventSink sink;
        private final Sse sse;

        EventSender(SseEventSink sink, Sse sse) {
            this.sink = sink;
            this.sse = sse;
        }

        void send(String name, Long id, Object data) {
            OutboundSseEvent.Builder event = sse.newEventBuilder().name(name).data(toJson(data));
            if (id != null) {
                event.id(id.toString());
            }
            write(event.build());
        }

        void comment(String text) {
            write(sse.newEventBuilder().comment(text).build());
        }

        boolean closed() {
            return sink.isClosed();
        }

        private void write(OutboundSseEvent event) {
            if (sink.isClosed()) {
                throw new ClientGone();
            }
            try {
                sink.send(event).toCompletableFuture().join();
            } catch (CompletionException e) {
                throw new ClientGone();
            }
        }

        private String toJson(Object data) {
            try {
                return json.writeValueAsString(data);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize " + data.getClass().getSimpleName(), e);
            }
        }
    }

    /** The client disconnected; the stream ends quietly. */
    private static final class ClientGone extends RuntimeException {
        ClientGone() {
            super(null, null, false, false);
        }
    }
}
