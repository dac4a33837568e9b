package dev.taskq.systemtests.bench;

import dev.taskq.localinfra.stack.LocalStack;
import dev.taskq.localinfra.stack.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a run's CPU went, read from {@code /proc} (Linux; elsewhere every figure is zero and the report says so):
 * each service's own time, the worker-agents' reaped children (the sessions: {@code jspawnhelper} and the fake CLI)
 * apart from their JVMs, this JVM (the in-process Kafka broker and the benchmark's client) and every {@code postgres}
 * process of the machine (a backend that exits is counted in the postmaster's reaped children).
 *
 * <p>It answers how much of the machine one DAG node costs, which bounds the release throughput 2 cores can reach,
 * and so the latency of an edge that waits behind a hundred others.
 */
final class CpuAccount {

    /** USER_HZ: the unit of /proc/[pid]/stat's times, 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final String SESSIONS = "worker-agent sessions (jspawnhelper + fake claude)";

    /** CPU seconds per component at one instant. */
    record Snapshot(Map<String, Double> seconds) {}

    /** What one spawn of a program from this JVM costs: its own CPU and the child's (jspawnhelper included). */
    record SpawnCost(String program, double jvmMillis, double childMillis) {
        double totalMillis() {
            return jvmMillis + childMillis;
        }
    }

    private CpuAccount() {}

    static Snapshot take(LocalStack stack) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (ServiceProcess service : stack.allServices()) {
            long[] times = times(Path.of("/proc", Long.toString(service.pid()), "stat"));
            boolean worker = service.name().startsWith("worker-agent");
            seconds.merge(worker ? "worker-agent JVMs" : service.name(), (times[0] + times[1]) / TICKS_PER_SECOND, Double::sum);
            if (worker) {
                seconds.merge(SESSIONS, (times[2] + times[3]) / TICKS_PER_SECOND, Double::sum);
            }
        }
        long[] self = times(Path.of("/proc/self/stat"));
        // Only this JVM's own time: its reaped children are the services, counted above while they live.
        seconds.put("Kafka broker + benchmark client (this JVM)", (self[0] + self[1]) / TICKS_PER_SECOND);
        seconds.put("postgres (every process)", postgresSeconds());
        return new Snapshot(seconds);
    }

    /**
     * Spawns {@code command} {@code count} times one after another, as the worker does (stdout read to the end, then
     * the exit awaited), and returns the CPU each spawn cost this JVM and the child.
     */
    static SpawnCost spawnCost(String label, List<String> command, int count) throws IOException, InterruptedException {
        for (int warmup = 0; warmup < 50; warmup++) {
            spawnOnce(command);
        }
        long[] before = times(Path.of("/proc/self/stat"));
        for (int i = 0; i < count; i++) {
            spawnOnce(command);
        }
        long[] after = times(Path.of("/proc/self/stat"));
        double jvm = (after[0] + after[1] - before[0] - before[1]) / TICKS_PER_SECOND * 1000 / count;
        double child = (after[2] + after[3] - before[2] - before[3]) / TICKS_PER_SECOND * 1000 / count;
        return new SpawnCost(label, jvm, child);
    }

    private static void spawnOnce(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        try (InputStream out = process.getInputStream()) {
            out.transferTo(OutputStream.nullOutputStream());
        }
        process.waitFor();
    }

    /** A markdown table of the CPU each component spent between two snapshots, per node and in all. */
    static String table(Snapshot before, Snapshot after, double wallSeconds, int nodes) {
        if (after.seconds().values().stream().allMatch(value -> value == 0)) {
            return "(No /proc here: CPU time per component was not measured.)";
        }
        List<String> rows = new ArrayList<>();
        rows.add("| process | CPU s | cores busy | CPU ms per node |");
        rows.add("|---|---|---|---|");
        spent(before, after).forEach((name, seconds) -> rows.add(row(name, seconds, wallSeconds, nodes)));
        rows.add(row("**all**", total(before, after), wallSeconds, nodes));
        return String.join("\n", rows);
    }

    /** CPU milliseconds per node over every component between the snapshots. */
    static double millisPerNode(Snapshot before, Snapshot after, int nodes) {
        return total(before, after) * 1000 / nodes;
    }

    /** The CPU seconds each component spent between the snapshots, in the order they were taken. */
    private static Map<String, Double> spent(Snapshot before, Snapshot after) {
        Map<String, Double> spent = new LinkedHashMap<>();
        after.seconds().forEach((name, seconds) -> spent.put(name, seconds - before.seconds().getOrDefault(name, 0.0)));
        return spent;
    }

    private static double total(Snapshot before, Snapshot after) {
        return spent(before, after).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String row(String name, double seconds, double wallSeconds, int nodes) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.2f |", name, seconds, seconds / wallSeconds, seconds * 1000 / nodes);
    }

    private static double postgresSeconds() throws IOException {
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (Files.readString(process.resolve("comm")).trim().equals("postgres")) {
                        long[] times = times(process.resolve("stat"));
                        ticks += times[0] + times[1] + times[2] + times[3];
                    }
                } catch (IOException gone) {
                    // The process ended between the listing and the read: a backend's time is then its parent's.
                }
            }
        } catch (IOException noProc) {
            return 0;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** utime, stime, cutime and cstime of one process, in ticks; zeros where /proc is not there. */
    private static long[] times(Path stat) throws IOException {
        if (!Files.isReadable(stat)) {
            return new long[4];
        }
        String line = Files.readString(stat);
        // The command name in parentheses may hold spaces; the fields after it are plain numbers.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]), Long.parseLong(fields[14])};
    }
}
