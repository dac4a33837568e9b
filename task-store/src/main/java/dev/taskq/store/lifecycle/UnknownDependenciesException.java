package dev.taskq.store.lifecycle;

import java.util.List;
import java.util.UUID;

/** A submitted task names dependencies that do not exist. */
public class UnknownDependenciesException extends RuntimeException {
    private final List<UUID> unknownIds;

    public UnknownDependenciesException(List<UUID> unknownIds) {
        super("Unknown dependencies: " + unknownIds);
        this.unknownIds = List.copyOf(unknownIds);
    }

    public List<UUID> unknownIds() {
        return unknownIds;
    }
}
