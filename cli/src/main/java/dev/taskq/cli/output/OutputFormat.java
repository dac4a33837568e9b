package dev.taskq.cli.output;

/** What a command prints on standard output. */
public enum OutputFormat {
    /** Aligned tables and short summaries for a person. */
    HUMAN,
    /** The API's JSON as it answered (log lines: one JSON object per line), for scripts. */
    JSON
}
