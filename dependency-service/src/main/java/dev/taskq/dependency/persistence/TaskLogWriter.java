package dev.taskq.dependency.persistence;

import dev.taskq.common.event.LogLine;
import dev.taskq.common.event.SessionLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.hibernate.Session;

/** Stores a session's output lines, each once however often its batch is delivered. */
@ApplicationScoped
public class TaskLogWriter {

    // One statement per batch: the lines travel as parallel arrays. The existence check turns lines of an
    // unknown task into a no-op instead of a foreign-key error that would poison the consumer's batch.
    private static final String INSERT = """
            insert into task_logs (task_id, attempt, line_number, logged_at, kind, text)
            select ?, ?, line.number, line.at, line.kind, line.text
            from unnest(?::bigint[], ?::timestamptz[], ?::varchar[], ?::text[]) as line(number, at, kind, text)
            where exists (select 1 from tasks where id = ?)
            on conflict (task_id, attempt, line_number) do nothing""";

    private final EntityManager entityManager;

    public TaskLogWriter(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Inserts the batch's lines that are not stored yet; returns how many were new. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int insert(SessionLog log) {
        List<LogLine> lines = log.lines() == null ? List.of() : log.lines();
        if (lines.isEmpty()) {
            return 0;
        }
        Long[] numbers = new Long[lines.size()];
        Timestamp[] times = new Timestamp[lines.size()];
        String[] kinds = new String[lines.size()];
        String[] texts = new String[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            LogLine line = lines.get(i);
            numbers[i] = line.lineNumber();
            times[i] = Timestamp.from(line.at() != null ? line.at() : log.at() != null ? log.at() : Instant.now());
            kinds[i] = line.kind() == null ? "RAW" : line.kind().name();
            texts[i] = withoutNul(line.text());
        }
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                statement.setObject(1, log.taskId());
                statement.setInt(2, log.attempt());
                statement.setArray(3, connection.createArrayOf("bigint", numbers));
                statement.setArray(4, connection.createArrayOf("timestamptz", times));
                statement.setArray(5, connection.createArrayOf("varchar", kinds));
                statement.setArray(6, connection.createArrayOf("text", texts));
                statement.setObject(7, log.taskId());
                return statement.executeUpdate();
            }
        });
    }

    // Postgres text cannot hold NUL; a process that prints one must not make its whole batch unstorable.
    private static String withoutNul(String text) {
        if (text == null) {
            return "";
        }
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
