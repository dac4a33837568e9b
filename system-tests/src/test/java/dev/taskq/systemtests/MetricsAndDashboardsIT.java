package dev.taskq.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.localinfra.stack.ServiceProcess;
import dev.taskq.testsupport.FakeClaude;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operations, checked on the real thing: a local stack runs a few tasks (the fake claude), a real Prometheus
 * scrapes every service, its HTTP API answers with the counts, every metric the Grafana dashboards query is one
 * the services expose, and every taskq metric exposed is documented in docs/metrics.md.
 */
class MetricsAndDashboardsIT {

    private static final Path REPO = Path.of(System.getProperty("taskq.repo-root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration SOON = Duration.ofSeconds(60);
    private static final Pattern METRIC_IN_PROMQL = Pattern.compile("\\b((?:taskq|http_server)_[a-z0-9_]+)\\b");
    /**
     * notifier-service's (issue 6) delivery counter and timer are tagged by channel, so they appear with the first
     * delivery; this stack configures no channel, so only their absence is tolerated (the gauge must be there).
     */
    private static final Set<String> APPEAR_WITH_FIRST_DELIVERY = Set.of(
            "taskq_notifications_deliveries_total", "taskq_notifications_delivery_duration_seconds_bucket");
    private static final int SLOTS = 4;

    private static RunningStack system;
    private static Process prometheus;
    private static String prometheusUrl;
    private static int succeeded;

    @BeforeAll
    static void runSomeTasksThenStartPrometheus() throws Exception {
        Path bin = Files.createTempDirectory("taskq-ops-bin");
        system = RunningStack.start(FakeClaude.install(bin), null, 1, SLOTS);

        List<UUID> tasks = new ArrayList<>();
        for (String priority : List.of("P0", "P1", "P2", "P3")) {
            tasks.add(submit("{\"prompt\": \"ops [fake:lines=2]\", \"priority\": \"" + priority + "\"}"));
        }
        // The parent must still run when the child arrives, or the child is created QUEUED and no dependency
        // release (the latency this checks) ever happens: the fake CLI finishes in milliseconds otherwise.
        UUID parent = submit("{\"prompt\": \"parent [fake:sleep=2]\"}");
        tasks.add(parent);
        tasks.add(submit("{\"prompt\": \"child\", \"dependsOn\": [\"" + parent + "\"]}"));
        UUID slow = submit("{\"prompt\": \"slow [fake:sleep=2]\"}");
        tasks.add(slow);
        UUID cancelled = submit("{\"prompt\": \"never\", \"dependsOn\": [\"" + slow + "\"]}");
        system.api().post("/api/v1/tasks/" + cancelled + "/cancel").then().statusCode(200);
        succeeded = tasks.size();
        // The fake fails like an API 500, which is retried by default; one attempt keeps the counts below exact.
        UUID failing = submit("{\"prompt\": \"fails [fake:fail]\", \"retry\": {\"maxAttempts\": 1}}");
        await().atMost(SOON).until(() -> Stream.concat(tasks.stream(), Stream.of(failing)).allMatch(id ->
                Set.of("SUCCEEDED", "FAILED").contains(system.api().get("/api/v1/tasks/" + id).then().extract().path("status"))));

        Optional<Path> binary = prometheusBinary();
        if (binary.isEmpty()) {
            return;
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path state = Files.createTempDirectory("taskq-prometheus");
        Path config = state.resolve("prometheus.yml");
        Files.writeString(config, scrapeConfig());
        prometheus = new ProcessBuilder(binary.get().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + state.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(state.resolve("prometheus.log").toFile())
                .start();
        prometheusUrl = "http://127.0.0.1:" + port;
        await().atMost(SOON).ignoreExceptions().until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/-/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void prometheusScrapesEveryServiceAndCountsTheTasksThatRan() throws Exception {
        assumeTrue(prometheus != null, "no prometheus binary (scripts/ensure-prometheus.sh installs Debian's): not checked");

        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> assertThat(values("up")).containsOnlyKeys(
                "api-gateway", "dependency-service", "worker-agent", "scheduler-service", "notifier-service")
                .allSatisfy((job, up) -> assertThat(up).as(job).isEqualTo(1.0)));
        await().atMost(SOON).ignoreExceptions().untilAsserted(() -> {
            assertThat(scalar("sum(taskq_tasks_submitted_total)")).isEqualTo(succeeded + 2);
            assertThat(scalar("sum(taskq_tasks_finished_total{outcome=\"succeeded\"})")).isEqualTo(succeeded);
            assertThat(scalar("sum(taskq_tasks_finished_total{outcome=\"failed\"})")).isEqualTo(1);
            assertThat(scalar("sum(taskq_tasks_cancelled_total)")).isEqualTo(1);
            assertThat(scalar("sum(taskq_tasks_dispatch_latency_seconds_count)")).isEqualTo(succeeded + 1);
            // The child of "parent"; the cancelled task never became ready.
            assertThat(scalar("sum(taskq_tasks_dependency_release_latency_seconds_count)")).isEqualTo(1);
            assertThat(scalar("sum(taskq_worker_sessions_finished_total)")).isEqualTo(succeeded + 1);
            assertThat(scalar("max(taskq_fleet_workers_alive{pool=\"default\"})")).isEqualTo(1);
            assertThat(scalar("max(taskq_fleet_slots{pool=\"default\",state=\"free\"})")).isEqualTo(SLOTS);
            assertThat(scalar("sum(taskq_worker_slots{state=\"free\"})")).isEqualTo(SLOTS);
            assertThat(scalar("sum(taskq_queue_depth)")).isZero();
            assertThat(scalar("max(taskq_outbox_backlog)")).isZero();
        });
        assertThat(scalar("histogram_quantile(0.99, sum by (le) (taskq_tasks_dispatch_latency_seconds_bucket))"))
                .as("p99 dispatch latency of a handful of no-op tasks, in seconds").isBetween(0.0, 30.0);
        assertThat(values("sum by (job) (taskq_kafka_consumer_lag)")).containsKeys("dependency-service", "worker-agent");
    }

    @Test
    void everyDashboardQueryParsesAndUsesOnlyMetricsTheServicesExpose() throws Exception {
        Map<String, Set<String>> exposedByService = scrapeEveryService();
        Set<String> exposed = new TreeSet<>();
        exposedByService.values().forEach(exposed::addAll);

        List<String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(30);
        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            Matcher metric = METRIC_IN_PROMQL.matcher(expression);
            while (metric.find()) {
                queried.add(metric.group(1));
            }
        }
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exposed);
        missing.removeAll(APPEAR_WITH_FIRST_DELIVERY);
        assertThat(missing).as("metrics the dashboards query but no service exposes").isEmpty();
        assertThat(queried).as("the dashboards show the issue's core metrics").contains(
                "taskq_tasks_submitted_total", "taskq_tasks_finished_total", "taskq_queue_depth",
                "taskq_tasks_dispatch_latency_seconds_bucket", "taskq_tasks_dependency_release_latency_seconds_bucket",
                "taskq_sessions_cost_usd_total", "taskq_fleet_workers_alive", "taskq_worker_slots",
                "taskq_kafka_consumer_lag", "taskq_outbox_backlog", "taskq_schedule_fire_lateness_seconds_bucket");

        if (prometheus != null) {
            for (String expression : expressions) {
                JsonNode answer = query(expression.replace("$pool", "default"));
                assertThat(answer.path("status").asText()).as(expression + ": " + answer).isEqualTo("success");
            }
        }
    }

    @Test
    void everyTaskqMetricTheServicesExposeIsDocumented() throws Exception {
        String documentation = Files.readString(REPO.resolve("docs/metrics.md"));
        Set<String> undocumented = new TreeSet<>();
        scrapeEveryService().values().forEach(names -> names.stream()
                .filter(name -> name.startsWith("taskq_"))
                .map(name -> name.replaceAll("_(total|bucket|count|sum|max)$", ""))
                .filter(name -> !documentation.contains("`" + name))
                .forEach(undocumented::add));
        assertThat(undocumented).isEmpty();
    }

    private static UUID submit(String body) {
        return UUID.fromString(system.api().body(body).post("/api/v1/tasks").then().statusCode(201).extract().path("id"));
    }

    private static Optional<Path> prometheusBinary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The scrape jobs of deploy/prometheus/prometheus.yml, pointed at this stack's ports. */
    private static String scrapeConfig() {
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                scrape_configs:
                """);
        Map<String, List<ServiceProcess>> jobs = jobs();
        jobs.forEach((job, processes) -> {
            config.append("  - job_name: ").append(job).append('\n')
                    .append("    metrics_path: /q/metrics\n")
                    .append("    static_configs: [{targets: [");
            config.append(String.join(", ", processes.stream().map(p -> "\"127.0.0.1:" + p.httpPort() + "\"").toList()));
            config.append("]}]\n");
        });
        return config.toString();
    }

    private static Map<String, List<ServiceProcess>> jobs() {
        Map<String, List<ServiceProcess>> jobs = new LinkedHashMap<>();
        for (String name : List.of("api-gateway", "dependency-service", "scheduler-service", "notifier-service")) {
            jobs.put(name, List.of(system.stack.service(name)));
        }
        jobs.put("worker-agent", system.stack.workers());
        return jobs;
    }

    private static Map<String, Set<String>> scrapeEveryService() throws IOException, InterruptedException {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (Map.Entry<String, List<ServiceProcess>> job : jobs().entrySet()) {
            for (ServiceProcess process : job.getValue()) {
                String text = get(process.baseUrl() + "/q/metrics");
                Set<String> seen = names.computeIfAbsent(job.getKey(), k -> new TreeSet<>());
                text.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .map(line -> line.split("[{ ]", 2)[0])
                        .forEach(seen::add);
            }
        }
        return names;
    }

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPO.resolve("deploy/grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JSON.readTree(file.toFile()).findValues("expr").forEach(expr -> expressions.add(expr.asText()));
                JSON.readTree(file.toFile()).path("templating").path("list")
                        .forEach(variable -> expressions.add(variable.path("definition").asText()
                                .replaceAll("^label_values\\((\\w+),.*$", "$1")));
            }
        }
        return expressions;
    }

    private static double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql).path("data").path("result");
        assertThat(result.size()).as(promql + " has a value").isEqualTo(1);
        return result.get(0).path("value").get(1).asDouble();
    }

    /** Values of an instant query by its {@code job} label. */
    private static Map<String, Double> values(String promql) throws IOException, InterruptedException {
        Map<String, Double> byJob = new LinkedHashMap<>();
        for (JsonNode series : query(promql).path("data").path("result")) {
            byJob.put(series.path("metric").path("job").asText(), series.path("value").get(1).asDouble());
        }
        return byJob;
    }

    private static JsonNode query(String promql) throws IOException, InterruptedException {
        return JSON.readTree(get(prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
