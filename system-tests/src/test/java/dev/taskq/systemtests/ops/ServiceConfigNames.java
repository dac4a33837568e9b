package dev.taskq.systemtests.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a service reads, from its application.properties: the {@code ${NAME:...}} references,
 * every documented key (also the commented-out ones) in MicroProfile's environment spelling (quarkus.http.port →
 * QUARKUS_HTTP_PORT), and for the worker the variables it passes on to sessions.
 */
final class ServiceConfigNames {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern KEY = Pattern.compile("^#?\\s*([a-z][a-zA-Z0-9.\"-]*)\\s*=(.*)$");

    private ServiceConfigNames() {}

    static Set<String> envNamesReadBy(Path repoRoot, String module) {
        Path properties = repoRoot.resolve(module).resolve("src/main/resources/application.properties");
        Set<String> names = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(properties)) {
                Matcher reference = REFERENCE.matcher(line);
                while (reference.find()) {
                    names.add(reference.group(1));
                }
                Matcher key = KEY.matcher(line.trim());
                if (key.matches()) {
                    names.add(envSpelling(key.group(1)));
                    if (key.group(1).equals("taskq.worker.claude.env-allowlist")) {
                        names.addAll(Arrays.asList(key.group(2).trim().split(",")));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** MicroProfile Config's environment variable for a key: every non-alphanumeric character becomes '_'. */
    static String envSpelling(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
