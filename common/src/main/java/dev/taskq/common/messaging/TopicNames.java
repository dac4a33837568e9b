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
 * <tr><td>tasks.p0 … tasks.p3</td><td>task id</td><td>{@code TaskDispatch}</td><td>dependency-service (outbox) → worker-agent group (default pool)</td></tr>
 * <tr><td>tasks.pool.&lt;pool&gt;.p0 … p3</td><td>task id</td><td>{@code TaskDispatch}</td><td>the same, for workers serving that pool</td></tr>
 * <tr><td>tasks.direct</td><td>task id</td><td>{@code TaskDispatch} with a target worker</td><td>outbox → every worker, which runs only its own (resume)</td></tr>
 * <tr><td>task-events</td><td>task id</td><td>{@code TaskEvent}</td><td>worker-agent → dependency-service</td></tr>
 * <tr><td>worker-heartbeats</td><td>worker id</td><td>{@code WorkerHeartbeat}</td><td>worker-agent → dependency-service</td></tr>
 * <tr><td>worker-commands</td><td>task id</td><td>{@code WorkerCommand}</td><td>outbox → every worker (broadcast)</td></tr>
 * <tr><td>task-lifecycle</td><td>task id</td><td>{@code TaskLifecycleEvent}</td><td>outbox → notifier-service</td></tr>
 * <tr><td>workflow-lifecycle</td><td>workflow id</td><td>{@code WorkflowFinishedEvent}</td><td>outbox → notifier-service</td></tr>
 * <tr><td>schedule-runs</td><td>schedule id</td><td>{@code ScheduleRunFailedEvent}</td><td>outbox → notifier-service</td></tr>
 * </table>
 */
public record TopicNames(String prefix) {

    public static final String DEFAULT_PREFIX = "taskq.";
    /** The pool of tasks that name none, and of workers that declare none; its topics carry no pool segment. */
    public static final String DEFAULT_POOL = "default";
    /**
     * What a pool name may be: it becomes part of topic names, so only characters Kafka allows, lower case so two
     * spellings never name two pools. Submissions and worker configuration are checked against it.
     */
    public static final String POOL_NAME_PATTERN = "[a-z0-9][a-z0-9._-]{0,99}";
    private static final String POOL_SEGMENT = "tasks.pool.";

    public TopicNames {
        if (prefix == null) {
            prefix = DEFAULT_PREFIX;
        }
    }

    /** The default pool's dispatch topic of a priority class. */
    public String dispatch(PriorityClass priorityClass) {
        return dispatch(DEFAULT_POOL, priorityClass);
    }

    /**
     * The dispatch topic of a pool and priority class. Pool names are a-z 0-9 . _ - (validated at submission), all
     * legal in a topic name.
     */
    public String dispatch(String pool, PriorityClass priorityClass) {
        if (pool == null || pool.equals(DEFAULT_POOL)) {
            return prefix + "tasks." + priorityClass.topicSuffix();
        }
        return prefix + POOL_SEGMENT + pool + "." + priorityClass.topicSuffix();
    }

    /** The default pool's dispatch topics, most urgent first. */
    public List<String> dispatchTopicsByPriority() {
        return dispatchTopicsByPriority(DEFAULT_POOL);
    }

    /** A pool's dispatch topics, most urgent first. */
    public List<String> dispatchTopicsByPriority(String pool) {
        return Arrays.stream(PriorityClass.values()).map(priorityClass -> dispatch(pool, priorityClass)).toList();
    }

    /**
     * Dispatches meant for one worker (a resume needs the worker holding the session transcript). Every worker
     * reads it and runs only the records whose {@code targetWorkerId} is its own.
     */
    public String directDispatch() {
        return prefix + "tasks.direct";
    }

    /** The priority class a pool dispatch topic carries, or null if the topic is not one. */
    public PriorityClass priorityOfDispatchTopic(String topic) {
        if (topic == null || !topic.startsWith(prefix + "tasks.")) {
            return null;
        }
        for (PriorityClass priorityClass : PriorityClass.values()) {
            if (topic.endsWith("." + priorityClass.topicSuffix())) {
                String rest = topic.substring(prefix.length());
                boolean defaultPool = rest.equals("tasks." + priorityClass.topicSuffix());
                boolean namedPool = rest.startsWith(POOL_SEGMENT) && rest.length() > POOL_SEGMENT.length() + 3;
                return defaultPool || namedPool ? priorityClass : null;
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

    public String workflowLifecycle() {
        return prefix + "workflow-lifecycle";
    }

    public String scheduleRuns() {
        return prefix + "schedule-runs";
    }

    /** The topics that exist whatever pools there are; pool topics are created when a pool is first seen. */
    public List<String> all() {
        var topics = new java.util.ArrayList<>(dispatchTopicsByPriority());
        topics.addAll(List.of(directDispatch(), taskEvents(), workerHeartbeats(), workerCommands(), taskLifecycle(),
                workflowLifecycle(), scheduleRuns()));
        return topics;
    }
}
