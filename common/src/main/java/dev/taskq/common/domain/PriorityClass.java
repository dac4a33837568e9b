package dev.taskq.common.domain;

import java.util.Locale;

/**
 * The fixed set of priority classes; each has its own Kafka topic so workers can prefer urgent work.
 *
 * <p>Numeric priorities run 1 (lowest) to 10 (highest), 5 by default: 9–10 → P0, 7–8 → P1, 4–6 → P2,
 * 1–3 → P3. The names P0–P3 map to 10, 8, 5 and 2.
 */
public enum PriorityClass {
    P0(10, 9),
    P1(8, 7),
    P2(5, 4),
    P3(2, 1);

    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 10;
    public static final int DEFAULT_PRIORITY = 5;

    private final int representativePriority;
    private final int lowestPriority;

    PriorityClass(int representativePriority, int lowestPriority) {
        this.representativePriority = representativePriority;
        this.lowestPriority = lowestPriority;
    }

    /** The numeric priority a task named with this class is stored with. */
    public int representativePriority() {
        return representativePriority;
    }

    /** The lowest numeric priority in this class: a task is in it from this priority up to the next class's. */
    public int lowestPriority() {
        return lowestPriority;
    }

    public static PriorityClass of(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be between 1 and 10, got " + priority);
        }
        for (PriorityClass priorityClass : values()) {
            if (priority >= priorityClass.lowestPriority) {
                return priorityClass;
            }
        }
        throw new AssertionError("P3 covers every priority down to " + MIN_PRIORITY);
    }

    /** Parses "P0".."P3" (any case) or "1".."10"; throws IllegalArgumentException otherwise. */
    public static int parsePriority(String text) {
        String trimmed = text.trim().toUpperCase(Locale.ROOT);
        if (trimmed.matches("P[0-3]")) {
            return valueOf(trimmed).representativePriority;
        }
        try {
            int value = Integer.parseInt(trimmed);
            of(value);
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("priority must be 1-10 or P0-P3, got '" + text + "'");
        }
    }

    /** Suffix of this class's dispatch topic, e.g. {@code p0}. */
    public String topicSuffix() {
        return name().toLowerCase(Locale.ROOT);
    }
}
