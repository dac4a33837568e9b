package dev.taskq.common.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a schedule does when it is due while the task of its previous run has not finished. */
public enum OverlapPolicy {
    /** Record the run as SKIPPED_OVERLAP and create no task. */
    SKIP,
    /** Create the task anyway; runs may overlap. */
    ALLOW,
    /** Cancel the previous run's task, then create the new one. */
    CANCEL;

    /** The name clients send: skip, allow, cancel. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OverlapPolicy> fromWire(String text) {
        return Arrays.stream(values()).filter(policy -> policy.wire().equalsIgnoreCase(text)).findFirst();
    }
}
