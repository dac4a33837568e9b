package dev.taskq.worker.domain;

import java.util.HashMap;
import java.util.Map;

/** Parsers of the Linux {@code /proc} and cgroup files the resource gate reads; each returns null for text it cannot read. */
public final class ProcFormats {

    /** Cumulative CPU time of {@code /proc/stat}'s first line, in ticks: all of it, and the part spent busy. */
    public record CpuTimes(long busy, long total) {}

    private ProcFormats() {}

    /** {@code /proc/meminfo} as bytes by field name ({@code MemAvailable}, {@code MemTotal}, ...). */
    public static Map<String, Long> meminfo(String text) {
        Map<String, Long> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            Long number = number(value[0]);
            if (number != null) {
                boolean kib = value.length > 1 && value[1].equalsIgnoreCase("kB");
                fields.put(line.substring(0, colon).trim(), kib ? number * 1024 : number);
            }
        }
        return fields;
    }

    /** The aggregate {@code cpu} line of {@code /proc/stat}: idle and iowait are idle, the rest busy (guest is in user). */
    public static CpuTimes stat(String text) {
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (!fields[0].equals("cpu")) {
                continue;
            }
            long total = 0;
            long idle = 0;
            // user nice system idle iowait irq softirq steal; guest and guest_nice are already counted in user and nice.
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                Long ticks = number(fields[i]);
                if (ticks == null) {
                    return null;
                }
                total += ticks;
                if (i == 4 || i == 5) {
                    idle += ticks;
                }
            }
            return fields.length < 5 ? null : new CpuTimes(total - idle, total);
        }
        return null;
    }

    /** The one-minute load average, the first field of {@code /proc/loadavg}. */
    public static Double loadavg(String text) {
        String[] fields = text.trim().split("\\s+");
        try {
            return Double.parseDouble(fields[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A cgroup limit ({@code memory.max}, {@code memory.limit_in_bytes}); null for {@code max}, none or garbage. */
    public static Long limit(String text) {
        String value = text.trim();
        return value.equals("max") || value.equals("-1") ? null : number(value);
    }

    /** The CPUs a cgroup v2 {@code cpu.max} ({@code "<quota> <period>"}) allows; null when unlimited. */
    public static Double cpuMax(String text) {
        String[] fields = text.trim().split("\\s+");
        Long quota = fields[0].equals("max") ? null : number(fields[0]);
        Long period = fields.length > 1 ? number(fields[1]) : Long.valueOf(100_000);
        return quota == null || period == null || period <= 0 ? null : quota / (double) period;
    }

    /** The value of {@code key} in a flat-keyed file such as {@code memory.stat} or {@code cpu.stat}. */
    public static Long keyed(String text, String key) {
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(key)) {
                return number(fields[1]);
            }
        }
        return null;
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
