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

    /** One worker's own group for the command topic: every worker must see every command. */
    public String workerCommands(String workerId) {
        return prefix + "worker-commands." + workerId;
    }

    /** One worker's own group for the direct dispatch topic: every worker must see every record to find its own. */
    public String workerDirect(String workerId) {
        return prefix + "worker-direct." + workerId;
    }

    public String dependencyService() {
        return prefix + "dependency-service";
    }

    public String notifier() {
        return prefix + "notifier-service";
    }
}
