package dev.taskq.localinfra.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One taskq service running as a child JVM from its packaged Quarkus jar, with its log in a file. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int httpPort;
    private final Path logFile;
    private final Process process;

    private ServiceProcess(String name, int httpPort, Path logFile, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts {@code java [jvmOptions] -Dkey=value… -jar runnerJar}. Settings go in as system properties and
     * secrets only through {@code secretEnv}, so they never show in a process listing.
     */
    static ServiceProcess start(String name, Path runnerJar, int httpPort, List<String> jvmOptions,
            Map<String, String> properties, Map<String, String> secretEnv, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(runnerJar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(secretEnv);
        return new ServiceProcess(name, httpPort, logFile, builder.start());
    }

    /** Waits until {@code /q/health/ready} answers 200, or fails with the tail of the service's log. */
    void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        URI readiness = URI.create(baseUrl() + "/q/health/ready");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // The service is still starting.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile);
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to clean up, as when a host dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGSTOP: the process stays alive but does nothing (no heartbeats, no events), as a worker behind a network
     * partition or stalled by its host; {@link #unfreeze()} lets it go on as if nothing happened: a zombie.
     */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void unfreeze() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    public void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }
}
