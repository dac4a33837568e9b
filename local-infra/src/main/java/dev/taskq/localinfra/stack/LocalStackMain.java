package dev.taskq.localinfra.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the whole system for a developer: {@code [--repo DIR] [--workers N] [--slots N] [--claude PATH]}.
 * Prints the URLs and the API token, and runs until Ctrl-C.
 */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(option(args, "--repo", ".")).toAbsolutePath().normalize();
        String token = apiToken(repo.resolve(".local"));
        StackOptions options = StackOptions.local(repo, token)
                .withWorkers(Integer.parseInt(option(args, "--workers", "1")))
                .withWorkerProperty("taskq.worker.slots", option(args, "--slots", "2"))
                .withWorkerProperty("taskq.worker.claude.executable", option(args, "--claude", "claude"));

        LocalStack stack = LocalStack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "local-stack-shutdown"));

        String gateway = stack.gatewayUrl();
        System.out.printf("""

                taskq is running.
                  Postgres:          %s (%s)
                  Kafka:             %s
                  API:               %s/api/v1/tasks
                  Swagger UI:        %s/q/swagger-ui
                  OpenAPI:           %s/q/openapi
                  dependency-service %s/q/health
                  worker-agent       %s/q/health
                  scheduler-service  %s/q/health
                  notifier-service   %s/q/health
                  API token:         in .local/api-token  (export TASKQ_TOKEN=$(cat .local/api-token))
                  Logs:              .local/logs/
                Ctrl-C stops everything.
                %n""",
                stack.jdbcUrl(), stack.usesEmbeddedPostgres() ? "embedded" : "server on this machine",
                stack.bootstrapServers(), gateway, gateway, gateway,
                stack.service("dependency-service").baseUrl(), stack.workers().getFirst().baseUrl(),
                stack.service("scheduler-service").baseUrl(), stack.service("notifier-service").baseUrl());
        stopped.await();
    }

    /** The token from TASKQ_TOKEN, else the one kept in .local/api-token, else a new random one saved there. */
    private static String apiToken(Path stateDir) throws Exception {
        String fromEnv = System.getenv("TASKQ_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Path file = stateDir.resolve("api-token");
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = "tq_" + HexFormat.of().formatHex(random);
        Files.createDirectories(stateDir);
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return token;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
