package dev.taskq.common.messaging;

import dev.taskq.common.domain.PriorityClass;
import java.util.Arrays;
import java.util.List;

/**
 * Every Kafka topic taskq uses, under one configurable prefix ({@code taskq.} by default) so test
 * runs and several stacks can share a broker without colliding.
 *
 * <table>
 * <caption>Topics, their keys and who writes/reads them</caption>
 * <tr><th>topic</th><th>key</th><th>value</th><th>producer → consumer</th></tr>
 * <tr><td>tasks.p0 … tasks.p3</td><td>task id</td><td>{@code TaskDispatch}</td><td>dependency-service (outbox) → worker-agent group</td></tr>
 * <tr><td>task-events</td><td>task id</td><td>{@code TaskEvent}</td><td>worker-agent → dependency-service</td></tr>
 * <tr><td>worker-heartbeats</td><td>worker id</td><td>{@code WorkerHeartbeat}</td><td>worker-agent → dependency-service</td></tr>
 * <tr><td>worker-commands</td><td>task id</td><td>{@code WorkerCommand}</td><td>outbox → every worker (broadcast)</td></tr>
 * <tr><td>task-lifecycle</td><td>task id</td><td>{@code TaskLifecycleEvent}</td><td>outbox → notifier-service</td></tr>
 * </table>
 */
public record TopicNames(String prefix) {

    public static final String DEFAULT_PREFIX = "taskq.";

    public TopicNames {
        if (prefix == null) {
            prefix = DEFAULT_PREFIX;
        }
    }

    public String dispatch(PriorityClass priorityClass) {
        return prefix + "tasks." + priorityClass.topicSuffix();
    }

    /** The dispatch topics, most urgent first. */
    public List<String> dispatchTopicsByPriority() {
        return Arrays.stream(PriorityClass.values()).map(this::dispatch).toList();
    }

    /** The priority class a dispatch topic carries, or null if the topic is not a dispatch topic. */
    public PriorityClass priorityOfDispatchTopic(String topic) {
        for (PriorityClass priorityClass : PriorityClass.values()) {
            if (dispatch(priorityClass).equals(topic)) {
                return priorityClass;
            }
        }
        return null;
    }

    public String taskEvents() {
        return prefix + "task-events";
    }

    public String workerHeartbeats() {
        return prefix + "worker-heartbeats";
    }

    public String workerCommands() {
        return prefix + "worker-commands";
    }

    public String taskLifecycle() {
        return prefix + "task-lifecycle";
    }

    public List<String> all() {
        var topics = new java.util.ArrayList<>(dispatchTopicsByPriority());
        topics.addAll(List.of(taskEvents(), workerHeartbeats(), workerCommands(), taskLifecycle()));
        return topics;
    }
}
