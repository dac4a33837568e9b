package dev.taskq.worker.session;

import dev.taskq.common.domain.LogKind;
import dev.taskq.common.event.LogLine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers a session's output lines and sends them in batches: when a batch is full, and at least every flush
 * interval while lines wait, so a reader sees output promptly without one event per line.
 */
final class LogBatcher implements AutoCloseable {

    // Keeps one SessionLog event well below Kafka's default 1 MB message limit.
    private static final int MAX_BATCH_CHARS = 256 * 1024;

    private final AttemptEvents events;
    private final int maxLines;
    private final Duration flushInterval;
    private final Clock clock;
    private final List<LogLine> pending = new ArrayList<>();
    private long lineNumber;
    private int pendingChars;
    private boolean closed;
    private Thread ticker;

    LogBatcher(AttemptEvents events, int maxLines, Duration flushInterval, Clock clock) {
        this.events = events;
        this.maxLines = maxLines;
        this.flushInterval = flushInterval;
        this.clock = clock;
    }

    synchronized void start() {
        ticker = Thread.ofVirtual().name("log-flush").start(this::tick);
    }

    /** Adds a line; lines added after {@link #close()} (a late reader) are dropped. */
    synchronized void add(LogKind kind, String text) {
        if (closed) {
            return;
        }
        pending.add(new LogLine(++lineNumber, clock.instant(), kind, text));
        pendingChars += text.length();
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

    /** Sends what is pending and stops; the caller's next event is then ordered after every line. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            running = ticker;
        }
        if (running != null) {
            running.interrupt();
        }
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
