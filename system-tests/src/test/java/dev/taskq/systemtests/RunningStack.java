package dev.taskq.systemtests;

import dev.taskq.localinfra.stack.LocalStack;
import dev.taskq.localinfra.stack.StackOptions;
import dev.taskq.testsupport.AnthropicStandIn;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import dev.taskq.localinfra.stack.ServiceProcess;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** A throw-away local stack for one test class, with helpers to talk to its API and database. */
final class RunningStack implements AutoCloseable {

    final LocalStack stack;
    final Path workDir;

    private RunningStack(LocalStack stack, Path workDir) {
        this.stack = stack;
        this.workDir = workDir;
    }

    /** Starts every service; the worker runs {@code claudeExecutable} against {@code anthropic}. */
    static RunningStack start(Path claudeExecutable, AnthropicStandIn anthropic, int workers, int slots) throws Exception {
        return start(claudeExecutable, anthropic, workers, slots, Map.of());
    }

    /** {@link #start(Path, AnthropicStandIn, int, int)} with settings of the workers' own. */
    static RunningStack start(Path claudeExecutable, AnthropicStandIn anthropic, int workers, int slots,
            Map<String, String> workerProperties) throws Exception {
        return start(claudeExecutable, anthropic, workers, slots, workerProperties, false);
    }

    /**
     * {@link #start(Path, AnthropicStandIn, int, int, Map)}; with {@code ownPostgres}, on an embedded Postgres of the
     * stack's own that a test may stop and start.
     */
    static RunningStack start(Path claudeExecutable, AnthropicStandIn anthropic, int workers, int slots,
            Map<String, String> workerProperties, boolean ownPostgres) throws Exception {
        return start(claudeExecutable, anthropic, workers, slots, workerProperties, ownPostgres, Map.of());
    }

    /** {@link #start(Path, AnthropicStandIn, int, int, Map, boolean)} with settings given to every service. */
    static RunningStack start(Path claudeExecutable, AnthropicStandIn anthropic, int workers, int slots,
            Map<String, String> workerProperties, boolean ownPostgres, Map<String, String> serviceProperties) throws Exception {
        Path repoRoot = Path.of(System.getProperty("taskq.repo-root", "..")).toAbsolutePath().normalize();
        String runId = HexFormat.of().formatHex(randomBytes(4));
        Path stateDir = Files.createTempDirectory("taskq-system-" + runId);
        Path home = Files.createDirectories(stateDir.resolve("home"));
        Path workDir = Files.createDirectories(stateDir.resolve("work"));
        StackOptions options = StackOptions.throwAway(repoRoot, stateDir, runId, "tq_test_" + runId)
                .withWorkers(workers)
                .withWorkerProperty("taskq.worker.slots", Integer.toString(slots))
                .withWorkerProperty("taskq.worker.claude.executable", claudeExecutable.toString())
                .withWorkerProperty("taskq.worker.work-root", workDir.toString())
                // A loaded CI machine would close the CPU gate and run one session at a time; the gate has its own tests.
                .withWorkerProperty("taskq.worker.gate.enabled", "false")
                // The CLI keeps its transcripts under $HOME: a fresh one per run keeps the real home clean.
                .withWorkerSecretEnv("HOME", home.toString())
                .withWorkerSecretEnv("ANTHROPIC_API_KEY", "sk-ant-test-dummy");
        if (anthropic != null) {
            options.withWorkerSecretEnv("ANTHROPIC_BASE_URL", anthropic.baseUrl());
        }
        workerProperties.forEach(options::withWorkerProperty);
        serviceProperties.forEach(options::withServiceProperty);
        if (ownPostgres) {
            options = options.withOwnPostgres();
        }
        return new RunningStack(LocalStack.start(options), workDir);
    }

    RequestSpecification api() {
        return RestAssured.given()
                .baseUri(stack.gatewayUrl())
                .header("Authorization", "Bearer " + stack.apiToken())
                .contentType("application/json");
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }

    /** The pid of the session process of a task's current attempt, as the worker reported it. */
    long sessionPid(UUID taskId) throws SQLException {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("""
                        select a.pid from task_attempts a join tasks t on t.id = a.task_id and t.current_attempt = a.attempt
                        where t.id = ?""")) {
            query.setObject(1, taskId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /** The task's status as the database has it, or null for an unknown task. */
    String status(UUID taskId) throws SQLException {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("select status from tasks where id = ?")) {
            query.setObject(1, taskId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** The worker process whose session runs the task's current attempt: the session process's parent. */
    ServiceProcess workerRunning(UUID taskId) throws Exception {
        long sessionPid = sessionPid(taskId);
        long parent = ProcessHandle.of(sessionPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("no live session process " + sessionPid + " for " + taskId));
        return stack.workers().stream().filter(worker -> worker.pid() == parent).findFirst()
                .orElseThrow(() -> new IllegalStateException("session " + sessionPid + " of " + taskId
                        + " is not a child of any worker (parent " + parent + ")"));
    }

    long countAttempts(UUID taskId) throws SQLException {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement("select count(*) from task_attempts where task_id = ?")) {
            query.setObject(1, taskId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() throws Exception {
        stack.close();
    }
}
