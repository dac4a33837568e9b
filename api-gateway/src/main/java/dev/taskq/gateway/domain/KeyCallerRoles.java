package dev.taskq.gateway.domain;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The caller's role names as its API key gives them, with every role that role includes: an admin key also holds
 * submitter and viewer, so a setting listing {@code submitter} admits admins too.
 */
@ApplicationScoped
public class KeyCallerRoles implements CallerRoles {

    private final CurrentCaller caller;

    public KeyCallerRoles(CurrentCaller caller) {
        this.caller = caller;
    }

    @Override
    public Set<String> current() {
        return caller.find()
                .map(found -> Arrays.stream(Role.values()).filter(found.role()::includes).map(Role::wire)
                        .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of());
    }
}
