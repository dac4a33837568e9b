package dev.taskq.systemtests.bench;

import dev.taskq.localinfra.stack.LocalStack;
import dev.taskq.localinfra.stack.StackOptions;
import dev.taskq.testsupport.FakeClaude;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** What every benchmark of the whole stack needs: a throw-away stack with the fake CLI, its API and database, results. */
final class BenchSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BenchSupport() {}

    /**
     * Options for a throw-away stack (its own database, topics and ports) whose workers run the no-op fake
     * {@code claude}; callers add what their measurement needs.
     */
    static StackOptions fakeClaudeStack(Path repo, int workers, int slots) throws Exception {
        byte[] id = new byte[4];
        ThreadLocalRandom.current().nextBytes(id);
        String runId = HexFormat.of().formatHex(id);
        Path stateDir = Files.createTempDirectory("taskq-bench-" + runId);
        Path fakeClaude = FakeClaude.install(Files.createDirectories(stateDir.resolve("bin")));
        return StackOptions.throwAway(repo, stateDir, runId, "tq_bench_" + runId)
                .withWorkers(workers)
                .withWorkerProperty("taskq.worker.slots", Integer.toString(slots))
                .withWorkerProperty("taskq.worker.claude.executable", fakeClaude.toString())
                .withWorkerProperty("taskq.worker.work-root", stateDir.resolve("work").toString())
                // The benchmark saturates this machine on purpose; the CPU gate would then measure itself, not taskq.
                .withWorkerProperty("taskq.worker.gate.enabled", "false");
    }

    /** POSTs JSON to the stack's API with its token. */
    static HttpResponse<String> post(LocalStack stack, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .header("Authorization", "Bearer " + stack.apiToken())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static Connection database(LocalStack stack) throws Exception {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }

    /** Writes {@code report} to benchmarks/results/{@code name}-&lt;UTC time&gt;.md and prints it. */
    static Path writeResult(Path repo, String name, String report) throws Exception {
        Path out = repo.resolve("benchmarks/results/" + name + "-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("Written to " + out);
        return out;
    }

    /** The nearest-rank percentile {@code p} (0–100) of ascending {@code sorted} values. */
    static double percentile(List<Double> sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
