package dev.taskq.localinfra;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} options of the *Main classes. */
record CommandLine(Map<String, String> options) {

    static CommandLine parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument: " + arg);
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("Missing value for " + arg);
            }
        }
        return new CommandLine(Map.copyOf(options));
    }

    int port(int fallback) {
        return options.containsKey("port") ? Integer.parseInt(options.get("port")) : fallback;
    }

    Path dataDir(String fallback) {
        return Path.of(options.getOrDefault("data-dir", fallback));
    }
}
