package dev.taskq.store.config;

import dev.taskq.common.messaging.ConsumerGroups;
import dev.taskq.common.messaging.TopicNames;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Topic and consumer-group names for the services that use task-store, from their configuration. */
public class KafkaNaming {

    @Produces
    @Singleton
    TopicNames topicNames(@ConfigProperty(name = "taskq.kafka.topic-prefix", defaultValue = TopicNames.DEFAULT_PREFIX) String prefix) {
        return new TopicNames(prefix);
    }

    @Produces
    @Singleton
    ConsumerGroups consumerGroups(@ConfigProperty(name = "taskq.kafka.group-prefix", defaultValue = TopicNames.DEFAULT_PREFIX) String prefix) {
        return new ConsumerGroups(prefix);
    }
}
