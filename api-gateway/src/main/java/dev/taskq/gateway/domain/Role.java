package dev.taskq.gateway.domain;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an API key may do. admin includes submitter, which includes viewer; worker is the agents' own identity and
 * includes none of them, so a leaked worker key cannot read or submit tasks.
 */
public enum Role {
    /** API keys, notification destinations and subscriptions, the audit log, agent roles; and all a submitter may do. */
    ADMIN,
    /** Submits tasks, workflows, schedules and pipelines, and cancels, answers, retries and resumes its own tasks. */
    SUBMITTER,
    /** Reads everything a submitter may read, changes nothing. */
    VIEWER,
    /** The agents' identity: no user endpoint accepts it. */
    WORKER;

    /** Whether a caller holding this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return switch (this) {
            case ADMIN -> required != WORKER;
            case SUBMITTER -> required == SUBMITTER || required == VIEWER;
            case VIEWER -> required == VIEWER;
            case WORKER -> required == WORKER;
        };
    }

    /** The role's name in the API and the database: lower case. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a client named, in any case. */
    public static Optional<Role> fromWire(String text) {
        return Arrays.stream(values()).filter(role -> role.name().equalsIgnoreCase(text.trim())).findFirst();
    }

    /** The role {@code method} of {@code type} needs: its {@link RequiresRole}, then its class's, then {@code otherwise}. */
    public static Role requiredBy(Method method, Class<?> type, Role otherwise) {
        RequiresRole annotation = method == null ? null : method.getAnnotation(RequiresRole.class);
        if (annotation == null && type != null) {
            annotation = type.getAnnotation(RequiresRole.class);
        }
        return annotation == null ? otherwise : annotation.value();
    }

    /** The roles as a client writes them, for error messages. */
    public static String choices() {
        return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
    }
}
