package dev.taskq.gateway.domain;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The caller roles while API tokens carry none: every token the gateway accepts (taskq.api.tokens) is an admin, as it
 * could already do everything. A {@link CallerRoles} bean that reads the key's roles replaces this one.
 */
@DefaultBean
@ApplicationScoped
public class AllTokensAdmin implements CallerRoles {

    @Override
    public Set<String> current() {
        return Set.of(ADMIN);
    }
}
