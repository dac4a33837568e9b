package dev.taskq.localinfra.stack;

import dev.taskq.localinfra.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole taskq system on one machine without Docker: real Postgres (reachable or embedded), a real Kafka
 * broker in this JVM, and the five services as child processes. Used by the local-run command, the
 * end-to-end tests and the benchmark, so all three run the same thing.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC");
    /**
     * A worker mostly waits on its sessions' processes, so its JVM is tuned for a small resident set (issue 4: idle at
     * most 120 MB) rather than peak speed. The same flags as its container image (deploy/docker/Dockerfile.worker,
     * checked by a test); each one's reason and measured effect are in README.md, "Worker memory".
     */
    private static final List<String> WORKER_JVM_OPTIONS = List.of("-Xms16m", "-Xmx256m", "-Xmn4m", "-XX:+UseSerialGC",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:TieredStopAtLevel=1",
            "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000",
            "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=600000", "-XX:ReservedCodeCacheSize=32m",
            "-Xss512k", "-XX:TrimNativeHeapInterval=5000");
    /** glibc keeps at most two malloc arenas instead of up to eight per core: the JVM's threads share them. */
    private static final Map<String, String> WORKER_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private final StackOptions options;
    private final PostgresEndpoint postgres;
    private final KafkaBroker broker;
    private final String bootstrapServers;
    private final Map<String, ServiceProcess> services = new HashMap<>();
    private final List<ServiceProcess> workers = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    // A stack's services are processes of their own: without this, a caller killed by a signal (a benchmark stopped
    // with Ctrl-C or kill) left them running, and their retry loops then loaded every later measurement.
    private final Thread closeOnExit = new Thread(this::closeQuietly, "local-stack-close-on-exit");
    /** How each process was started, by name, so {@link #restart} can start it again the same way. */
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();

    private record Launch(String module, int httpPort, Map<String, String> extraProperties, Map<String, String> secretEnv) {}

    private LocalStack(StackOptions options, PostgresEndpoint postgres, KafkaBroker broker, String bootstrapServers) {
        this.options = options;
        this.postgres = postgres;
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
    }

    public static LocalStack start(StackOptions options) throws Exception {
        Files.createDirectories(options.stateDir().resolve("logs"));
        PostgresEndpoint postgres = options.ownPostgres()
                ? PostgresEndpoint.embedded(options.stateDir().resolve("postgres"))
                : PostgresEndpoint.reachableOrEmbedded("127.0.0.1", 5432,
                        System.getenv().getOrDefault("DB_USER", "postgres"), System.getenv().getOrDefault("DB_PASSWORD", ""),
                        options.stateDir().resolve("postgres"));
        postgres.createDatabaseIfAbsent(options.database());
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        KafkaBroker broker = external == null || external.isBlank()
                ? KafkaBroker.start(options.stateDir().resolve("kafka"), options.kafkaPort())
                : null;
        LocalStack stack = new LocalStack(options, postgres, broker, broker != null ? broker.bootstrapServers() : external);
        Runtime.getRuntime().addShutdownHook(stack.closeOnExit);
        try {
            stack.startServices();
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startServices() throws Exception {
        // dependency-service first: it migrates the schema and creates the topics the others use.
        ServiceProcess dependency = launch("dependency-service", port(8081), Map.of(), Map.of());
        dependency.awaitReady(READY_TIMEOUT);
        services.put(dependency.name(), dependency);

        List<ServiceProcess> starting = new ArrayList<>();
        // A local stack works on this machine's own repositories too (file:// and plain paths as repo.url).
        // Notification receivers of a local stack are on this machine (and may speak plain http): both checks are lifted.
        starting.add(launch("api-gateway", port(8080), Map.of("taskq.api.workspaces.allow-local-repos", "true",
                        "taskq.api.notifications.allow-private-addresses", "true", "taskq.api.notifications.allow-insecure-urls", "true"),
                Map.of("TASKQ_API_TOKENS", options.apiToken())));
        starting.add(launch("scheduler-service", port(8084), Map.of(), Map.of()));
        starting.add(launch("notifier-service", port(8085), Map.of("taskq.notifier.allow-private-addresses", "true",
                "taskq.notifier.allow-insecure-urls", "true"), Map.of()));
        for (int i = 0; i < options.workers(); i++) {
            starting.add(startWorker(i));
        }
        try (ExecutorService waiting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> readiness = new ArrayList<>();
            for (ServiceProcess service : starting) {
                readiness.add(waiting.submit(() -> {
                    service.awaitReady(READY_TIMEOUT);
                    return null;
                }));
            }
            for (Future<?> ready : readiness) {
                ready.get();
            }
        }
        for (ServiceProcess service : starting) {
            if (service.name().startsWith("worker-agent")) {
                workers.add(service);
            } else {
                services.put(service.name(), service);
            }
        }
    }

    /**
     * Starts one more worker-agent process, waits until it is ready and adds it to {@link #workers()}: a scale-up.
     * {@code index} picks its port when the stack uses fixed ports; give each worker its own.
     */
    public ServiceProcess addWorker(int index) throws IOException, InterruptedException {
        ServiceProcess worker = startWorker(index);
        try {
            worker.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException e) {
            worker.kill();
            throw e;
        }
        synchronized (workers) {
            workers.add(worker);
        }
        return worker;
    }

    /** Starts one more worker-agent process (not waiting for it to be ready). */
    private ServiceProcess startWorker(int index) throws IOException {
        Map<String, String> properties = new HashMap<>(options.workerProperties());
        properties.putIfAbsent("taskq.worker.id", "local-worker-" + index + "-" + Long.toHexString(System.nanoTime()));
        return launch("worker-agent", port(8083 + index * 10), properties, options.workerSecretEnv(),
                "worker-agent-" + index);
    }

    private ServiceProcess launch(String module, int httpPort, Map<String, String> extraProperties,
            Map<String, String> secretEnv) throws IOException {
        return launch(module, httpPort, extraProperties, secretEnv, module);
    }

    private ServiceProcess launch(String module, int httpPort, Map<String, String> extraProperties,
            Map<String, String> secretEnv, String name) throws IOException {
        Path runner = options.repoRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException(runner + " is missing: build first with ./mvnw package -DskipTests");
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("quarkus.http.port", Integer.toString(httpPort));
        properties.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(options.database()));
        properties.put("quarkus.datasource.username", postgres.user());
        properties.put("kafka.bootstrap.servers", bootstrapServers);
        properties.put("taskq.kafka.topic-prefix", options.namePrefix());
        properties.put("taskq.kafka.group-prefix", options.namePrefix());
        properties.putAll(options.serviceProperties());
        properties.putAll(extraProperties);
        boolean worker = module.equals("worker-agent");
        Map<String, String> env = new HashMap<>(secretEnv);
        env.put("DB_PASSWORD", postgres.password());
        if (worker) {
            env.putAll(WORKER_ENVIRONMENT);
        }
        Path logFile = options.stateDir().resolve("logs").resolve(name + ".log");
        List<String> jvmOptions = worker ? WORKER_JVM_OPTIONS : JVM_OPTIONS;
        launches.put(name, new Launch(module, httpPort, extraProperties, secretEnv));
        return ServiceProcess.start(name, runner, httpPort, jvmOptions, properties, env, logFile);
    }

    /**
     * Starts a service (not a worker) again, same port and settings, after it was killed or stopped, and waits until it
     * is ready: a process restarted by its supervisor. Its log continues in the same file.
     */
    public ServiceProcess restart(String name) throws IOException, InterruptedException {
        ServiceProcess old = services.get(name);
        if (old == null) {
            throw new IllegalArgumentException("no service named " + name);
        }
        if (old.isAlive()) {
            throw new IllegalStateException(name + " is still running; kill or stop it first");
        }
        Launch launch = launches.get(name);
        ServiceProcess again = launch(launch.module(), launch.httpPort(), launch.extraProperties(), launch.secretEnv(), name);
        try {
            again.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException e) {
            again.kill();
            throw e;
        }
        services.put(name, again);
        return again;
    }

    private int port(int fixed) {
        if (options.fixedPorts()) {
            return fixed;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM options every worker-agent of a local stack runs with (those of its container image too). */
    public static List<String> workerJvmOptions() {
        return WORKER_JVM_OPTIONS;
    }

    /** The environment variables a worker-agent of a local stack gets besides its settings (its image sets them too). */
    public static Map<String, String> workerEnvironment() {
        return WORKER_ENVIRONMENT;
    }

    public String gatewayUrl() {
        return services.get("api-gateway").baseUrl();
    }

    public String apiToken() {
        return options.apiToken();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl(options.database());
    }

    public String dbUser() {
        return postgres.user();
    }

    public String dbPassword() {
        return postgres.password();
    }

    public boolean usesEmbeddedPostgres() {
        return postgres.isEmbedded();
    }

    /** Stops the stack's own Postgres ({@link StackOptions#withOwnPostgres()}): the services see it go away. */
    public void stopPostgres() throws IOException {
        postgres.stop();
    }

    /** Starts the stack's own Postgres again, same port, same data. */
    public void startPostgres() throws IOException {
        postgres.start();
    }

    /** Stops the in-process Kafka broker, waits {@code down}, and starts it again on the same ports and data. */
    public void restartKafka(Duration down) throws InterruptedException {
        if (broker == null) {
            throw new IllegalStateException("the stack uses an external broker (KAFKA_BOOTSTRAP_SERVERS)");
        }
        broker.restart(down);
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    public List<ServiceProcess> workers() {
        synchronized (workers) {
            return List.copyOf(workers);
        }
    }

    public List<ServiceProcess> allServices() {
        List<ServiceProcess> all = new ArrayList<>(services.values());
        all.addAll(workers);
        return all;
    }

    /** Stops everything once; later calls (the exit hook after a normal close, say) do nothing. */
    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != closeOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException shuttingDown) {
                // Closed by another hook while the JVM exits; this hook then finds the stack closed.
            }
        }
        // Workers first so their sessions stop before the services that record them.
        for (ServiceProcess worker : workers) {
            worker.stop(Duration.ofSeconds(30));
        }
        for (ServiceProcess service : services.values()) {
            service.stop(Duration.ofSeconds(15));
        }
        if (broker != null) {
            broker.close();
        }
        if (options.dropDatabaseOnClose()) {
            postgres.dropDatabase(options.database());
        }
        postgres.close();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("Could not stop the local stack cleanly: " + e);
        }
    }
}
