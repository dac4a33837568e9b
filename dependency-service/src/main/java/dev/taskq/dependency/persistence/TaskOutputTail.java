package dev.taskq.dependency.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** Reads the end of an attempt's stored output, for the prompt of a task that continues it. */
@ApplicationScoped
public class TaskOutputTail {

    /**
     * One output line, cut to the length asked for.
     *
     * @param length the whole line's length in characters, to tell how much was cut
     */
    public record Line(long lineNumber, String text, int length) {}

    // A backward scan of the unique (task_id, attempt, line_number) index reads just the rows returned; left()
    // keeps a line of megabytes (a tool's output) from travelling whole when only its start is kept.
    private static final String LAST_LINES = """
            select line_number, left(text, :maxChars), char_length(text)
            from task_logs
            where task_id = :taskId and attempt = :attempt
            order by line_number desc
            limit :limit""";

    private final EntityManager entityManager;

    public TaskOutputTail(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The last {@code limit} lines of an attempt, oldest first, each cut to {@code maxChars} characters. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<Line> lastLines(UUID taskId, int attempt, int limit, int maxChars) {
        List<Object[]> rows = entityManager.createNativeQuery(LAST_LINES)
                .setParameter("maxChars", maxChars)
                .setParameter("taskId", taskId)
                .setParameter("attempt", attempt)
                .setParameter("limit", limit)
                .getResultList();
        List<Line> lines = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            lines.add(new Line(((Number) row[0]).longValue(), (String) row[1], ((Number) row[2]).intValue()));
        }
        Collections.reverse(lines);
        return lines;
    }
}
