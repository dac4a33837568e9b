package dev.taskq.common.messaging;

/** Kafka consumer group ids, under a configurable prefix for the same reason as {@link TopicNames}. */
public record ConsumerGroups(String prefix) {

    public ConsumerGroups {
        if (prefix == null) {
            prefix = TopicNames.DEFAULT_PREFIX;
        }
    }

    /** Shared by all workers: each dispatched task goes to exactly one of them. */
    public String workers() {
        return prefix + "worker-agents";
    }

    public String dependencyService() {
        return prefix + "dependency-service";
    }

    public String notifier() {
        return prefix + "notifier-service";
    }
}
