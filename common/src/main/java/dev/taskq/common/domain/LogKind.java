package dev.taskq.common.domain;

/** What a stored log line came from, so a reader can filter a session's output. */
public enum LogKind {
    /** system/init and other system messages of the CLI. */
    SYSTEM,
    /** Text the model wrote. */
    ASSISTANT,
    /** A tool call the model made, rendered as "Bash: echo hello". */
    TOOL_USE,
    /** What a tool returned. */
    TOOL_RESULT,
    /** The session's final result line. */
    RESULT,
    /** Retries and other conditions worth a human's attention (e.g. system/api_retry). */
    WARNING,
    /** The process's standard error. */
    STDERR,
    /** A command task's standard output, line by line as the process wrote it. */
    STDOUT,
    /** A stream-json line of a type the worker does not know, kept verbatim. */
    RAW,
    /** Written by the worker itself (start, kill, timeout). */
    WORKER
}
