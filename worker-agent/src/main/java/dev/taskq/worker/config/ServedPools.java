package dev.taskq.worker.config;

import dev.taskq.common.messaging.TopicNames;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pools this worker serves, from {@code taskq.worker.pools}: trimmed, without duplicates, never empty.
 *
 * @param names in configuration order
 */
public record ServedPools(List<String> names) {

    // The same rule as a task's pool at submission: every name is then legal inside a topic name.
    private static final Pattern POOL_NAME = Pattern.compile(TopicNames.POOL_NAME_PATTERN);

    public ServedPools {
        Set<String> unique = new LinkedHashSet<>();
        for (String name : names == null ? List.<String>of() : names) {
            String trimmed = name == null ? "" : name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!POOL_NAME.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("taskq.worker.pools: '" + trimmed
                        + "' is not a pool name (1 to 100 characters of a-z 0-9 . _ -, starting with a letter or digit)");
            }
            unique.add(trimmed);
        }
        if (unique.isEmpty()) {
            unique.add(TopicNames.DEFAULT_POOL);
        }
        names = List.copyOf(unique);
    }

    /** The dispatch topics of every served pool; their order carries no priority (the intake orders by class). */
    public List<String> dispatchTopics(TopicNames topics) {
        return names.stream().flatMap(pool -> topics.dispatchTopicsByPriority(pool).stream()).toList();
    }
}
