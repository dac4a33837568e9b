package dev.taskq.localinfra.stack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How to run a local stack.
 *
 * @param repoRoot the checkout whose {@code <service>/target/quarkus-app/quarkus-run.jar} files are started
 * @param stateDir where Kafka's data, an embedded Postgres's data and the service logs go
 * @param database the Postgres database the services share (created when absent)
 * @param dropDatabaseOnClose true for throw-away stacks (tests, benchmarks)
 * @param kafkaPort the in-process broker's port; 0 picks a free one
 * @param namePrefix prefix of every Kafka topic and consumer group
 * @param fixedPorts true: the services listen on 8080, 8081, 8083+, 8084, 8085; false: free ports
 * @param workers how many worker-agent processes to start
 * @param serviceProperties settings (system properties) of every service, workers included
 * @param workerProperties extra worker-agent settings (system properties)
 * @param workerSecretEnv environment for the workers that must not appear in a process listing (API keys)
 * @param apiToken the bearer token api-gateway accepts
 * @param ownPostgres true: an embedded Postgres of the stack's own, even when one answers on 5432, so a fault test can
 *     stop and start it without touching anybody else's database
 */
public record StackOptions(
        Path repoRoot,
        Path stateDir,
        String database,
        boolean dropDatabaseOnClose,
        int kafkaPort,
        String namePrefix,
        boolean fixedPorts,
        int workers,
        Map<String, String> serviceProperties,
        Map<String, String> workerProperties,
        Map<String, String> workerSecretEnv,
        String apiToken,
        boolean ownPostgres) {

    /** Defaults for a developer's long-lived stack: database {@code taskq}, well-known ports, Kafka on 9092. */
    public static StackOptions local(Path repoRoot, String apiToken) {
        return new StackOptions(repoRoot, repoRoot.resolve(".local"), "taskq", false, 9092, "taskq.", true, 1,
                new HashMap<>(), new HashMap<>(), new HashMap<>(), apiToken, false);
    }

    /** Defaults for a throw-away stack that never collides with a running one: unique names, free ports. */
    public static StackOptions throwAway(Path repoRoot, Path stateDir, String runId, String apiToken) {
        return new StackOptions(repoRoot, stateDir, "taskq_" + runId, true, 0, "run-" + runId + ".", false, 1,
                new HashMap<>(), new HashMap<>(), new HashMap<>(), apiToken, false);
    }

    public StackOptions withWorkers(int count) {
        return new StackOptions(repoRoot, stateDir, database, dropDatabaseOnClose, kafkaPort, namePrefix, fixedPorts,
                count, serviceProperties, workerProperties, workerSecretEnv, apiToken, ownPostgres);
    }

    public StackOptions withOwnPostgres() {
        return new StackOptions(repoRoot, stateDir, database, dropDatabaseOnClose, kafkaPort, namePrefix, fixedPorts,
                workers, serviceProperties, workerProperties, workerSecretEnv, apiToken, true);
    }

    public StackOptions withServiceProperty(String key, String value) {
        serviceProperties.put(key, value);
        return this;
    }

    public StackOptions withWorkerProperty(String key, String value) {
        workerProperties.put(key, value);
        return this;
    }

    public StackOptions withWorkerSecretEnv(String name, String value) {
        workerSecretEnv.put(name, value);
        return this;
    }
}
