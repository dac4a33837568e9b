package dev.taskq.common.domain;

import java.util.Locale;

/** What a task runs: a Claude Code session (the default) or a plain command, done when its process exits. */
public enum TaskKind {
    CLAUDE,
    COMMAND;

    /** The kind as the API spells it: lower case. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a client named, in any case; null when it names none of them. */
    public static TaskKind parse(String text) {
        for (TaskKind kind : values()) {
            if (kind.name().equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        return null;
    }

    /** A stored or sent kind, absent for everything written before kinds existed, which was a Claude session. */
    public static TaskKind orDefault(TaskKind kind) {
        return kind == null ? CLAUDE : kind;
    }
}
