package dev.taskq.worker.session;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.event.Checkpoint;
import dev.taskq.common.event.LogLine;
import dev.taskq.common.security.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Numbers a session's output lines and sends them in batches: when a batch is full, and at least every flush
 * interval while lines wait, so a reader sees output promptly without one event per line. Once the session's lines
 * pass the attempt's byte cap, the rest of them are left out (the worker's own lines still go) and
 * {@link #endOutput()} says how much. It keeps the last lines it stored for the attempt's checkpoints.
 */
final class LogBatcher implements AutoCloseable {

    // Keeps one SessionLog event well below Kafka's default 1 MB message limit.
    private static final int MAX_BATCH_CHARS = 256 * 1024;
    /** A checkpoint's line is cut to this, as a continuation prompt cuts the stored lines it quotes. */
    static final int TAIL_LINE_MAX_CHARS = 400;

    private final AttemptEvents events;
    private final int maxLines;
    private final Duration flushInterval;
    private final Clock clock;
    private final long maxBytes;
    private final List<LogLine> pending = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>(Checkpoint.MAX_LAST_LINES);
    private long lineNumber;
    private int pendingChars;
    private long sentBytes;
    private long droppedLines;
    private long droppedBytes;
    private boolean outputEnded;
    private boolean closed;
    private Thread ticker;

    LogBatcher(AttemptEvents events, int maxLines, Duration flushInterval, Clock clock, long maxBytes) {
        this.events = events;
        this.maxLines = maxLines;
        this.flushInterval = flushInterval;
        this.clock = clock;
        this.maxBytes = maxBytes;
    }

    synchronized void start() {
        ticker = Thread.ofVirtual().name("log-flush").start(this::tick);
    }

    /** Adds a line; lines added after {@link #close()} (a late reader) are dropped. */
    synchronized void add(LogKind kind, String rawText) {
        if (closed) {
            return;
        }
        // Before it leaves the worker: the stored session output, its tail in checkpoints, and everything downstream.
        String text = Redactor.redact(rawText);
        if (kind != LogKind.WORKER) {
            long bytes = utf8Length(text);
            // Once one line is left out, every later one is too: the log must not skip a stretch and then go on.
            if (droppedLines > 0 || sentBytes + bytes > maxBytes) {
                droppedLines++;
                droppedBytes += bytes;
                return;
            }
            sentBytes += bytes;
        }
        pending.add(new LogLine(++lineNumber, clock.instant(), kind, text));
        pendingChars += text.length();
        if (tail.size() == Checkpoint.MAX_LAST_LINES) {
            tail.removeFirst();
        }
        tail.addLast(StreamJsonTranslator.cut(text, TAIL_LINE_MAX_CHARS));
        if (pending.size() >= maxLines || pendingChars >= MAX_BATCH_CHARS) {
            flush();
        }
    }

    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        events.log(pending);
        pending.clear();
        pendingChars = 0;
    }

    /**
     * Sends what is pending, then returns the last lines stored (at most {@link Checkpoint#MAX_LAST_LINES}, oldest
     * first, each cut to {@value #TAIL_LINE_MAX_CHARS} characters): a checkpoint sent next names no line that is not
     * stored before it.
     */
    synchronized List<String> flushAndTail() {
        flush();
        return List.copyOf(tail);
    }

    /**
     * The session wrote its last line: if the cap left any out, one WORKER line says how many. Called before the
     * worker's closing lines, so the note sits where the output stopped; {@link #close()} calls it too.
     */
    synchronized void endOutput() {
        if (outputEnded || closed) {
            return;
        }
        outputEnded = true;
        if (droppedLines > 0) {
            add(LogKind.WORKER, "output left out: %d lines (%d bytes) past the cap of %d bytes per attempt "
                    .formatted(droppedLines, droppedBytes, maxBytes) + "(taskq.worker.log.max-bytes-per-attempt)");
        }
    }

    /** Sends what is pending and stops; the caller's next event is then ordered after every line. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            endOutput();
            flush();
            closed = true;
            running = ticker;
        }
        if (running != null) {
            running.interrupt();
        }
    }

    /** The UTF-8 length of a line, counted without encoding it. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(flushInterval);
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    flush();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }
}
