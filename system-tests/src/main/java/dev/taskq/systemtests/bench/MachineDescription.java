package dev.taskq.systemtests.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One line describing the machine a benchmark ran on, so figures can be compared honestly. */
final class MachineDescription {

    private MachineDescription() {}

    static String describe() throws Exception {
        String cpu = "unknown CPU";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                        .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
            }
        }
        long memoryGiB = 0;
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.isReadable(meminfo)) {
            try (Stream<String> lines = Files.lines(meminfo)) {
                memoryGiB = lines.filter(line -> line.startsWith("MemTotal")).findFirst()
                        .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024).orElse(0L);
            }
        }
        return "Machine: %d cores (%s), %d GiB RAM, %s %s, Java %s (%s).".formatted(
                Runtime.getRuntime().availableProcessors(), cpu, memoryGiB,
                System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"));
    }
}
