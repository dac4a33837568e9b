package dev.taskq.common.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A UNIX 5-field cron expression (or one of the macros {@code @hourly @daily @weekly @monthly @yearly}) evaluated
 * in a time zone, with taskq's DST rule:
 * <ul>
 *   <li>a wall time that does not exist (spring forward) fires once, at the instant the clock shifts it to: 02:30 on
 *       a day New York jumps from 02:00 to 03:00 fires at 03:30 local;</li>
 *   <li>a wall time that occurs twice (fall back) fires once, at its first occurrence (the summer-time offset).</li>
 * </ul>
 * cron-utils only ever sees wall times (it evaluates in UTC, where no wall time is skipped or repeated); turning a
 * wall time into an instant is {@link ZonedDateTime#ofLocal}'s job, whose gap and overlap rules are exactly the above.
 */
public final class CronExpression {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    /** Wider than any DST shift in the tz database (2 h at most), so a shifted wall time is never overlooked. */
    private static final Duration SHIFT_WINDOW = Duration.ofHours(3);
    /** A cron that matches nothing for this many wall times in a row (e.g. {@code 0 0 30 2 *}) never fires. */
    private static final int MAX_CANDIDATES = 100_000;

    private final String text;
    private final ExecutionTime executionTime;

    private CronExpression(String text, ExecutionTime executionTime) {
        this.text = text;
        this.executionTime = executionTime;
    }

    /** Parses a 5-field expression or a macro; throws IllegalArgumentException saying what is wrong. */
    public static CronExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be a 5-field cron expression (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly");
        }
        String trimmed = text.trim();
        String expanded = trimmed.startsWith("@") ? MACROS.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (expanded == null) {
            throw new IllegalArgumentException("unknown macro '" + trimmed + "'; use @hourly, @daily, @weekly, @monthly or @yearly");
        }
        if (expanded.split("\\s+").length != 5) {
            throw new IllegalArgumentException("must have 5 fields (minute hour day-of-month month day-of-week), got '" + trimmed + "'");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expanded);
            cron.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid cron expression: " + e.getMessage(), e);
        }
        CronExpression expression = new CronExpression(trimmed, ExecutionTime.forCron(cron));
        if (expression.nextWallTime(LocalDateTime.of(2000, 1, 1, 0, 0)).isEmpty()) {
            throw new IllegalArgumentException("never matches a date, e.g. February 30th: '" + trimmed + "'");
        }
        return expression;
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    /** The first fire instant strictly after {@code after}, in {@code zone}; empty if the expression never fires again. */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        // Near a transition, wall times map to instants out of order (02:30 → 03:30 comes after 03:00 → 03:00), so look
        // back and a little beyond the first hit; elsewhere the mapping is monotonic and the first hit is the answer.
        boolean nearTransition = transitionWithin(rules, after.minus(SHIFT_WINDOW), after.plus(Duration.ofDays(1)).plus(SHIFT_WINDOW));
        LocalDateTime wall = LocalDateTime.ofInstant(after, zone);
        LocalDateTime cursor = nearTransition ? wall.minus(SHIFT_WINDOW) : wall;
        Instant best = null;
        LocalDateTime stopAfter = null;
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<LocalDateTime> candidate = nextWallTime(cursor);
            if (candidate.isEmpty()) {
                break;
            }
            cursor = candidate.get();
            if (stopAfter != null && cursor.isAfter(stopAfter)) {
                break;
            }
            Instant instant = ZonedDateTime.ofLocal(cursor, zone, null).toInstant();
            if (instant.isAfter(after) && (best == null || instant.isBefore(best))) {
                best = instant;
                if (!nearTransition && !transitionWithin(rules, after.minus(SHIFT_WINDOW), best.plus(SHIFT_WINDOW))) {
                    return Optional.of(best);
                }
                if (stopAfter == null) {
                    stopAfter = cursor.plus(SHIFT_WINDOW);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<LocalDateTime> nextWallTime(LocalDateTime after) {
        return executionTime.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    private static boolean transitionWithin(ZoneRules rules, Instant from, Instant to) {
        if (rules.isFixedOffset()) {
            return false;
        }
        ZoneOffsetTransition next = rules.nextTransition(from);
        return next != null && !next.getInstant().isAfter(to);
    }

    @Override
    public String toString() {
        return text;
    }
}
