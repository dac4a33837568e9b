package dev.taskq.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Prefixes of taskq's topic and consumer-group names, so several stacks can share one broker. */
@ConfigMapping(prefix = "taskq.kafka")
public interface KafkaNaming {

    /** Prefix of every topic name, e.g. {@code taskq.} gives {@code taskq.tasks.p0}. */
    @WithDefault("taskq.")
    String topicPrefix();

    /** Prefix of every consumer group id, e.g. {@code taskq.} gives {@code taskq.worker-agents}. */
    @WithDefault("taskq.")
    String groupPrefix();
}
