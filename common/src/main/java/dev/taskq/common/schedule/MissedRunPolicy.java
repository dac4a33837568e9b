package dev.taskq.common.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a schedule does with fire times that passed while no scheduler was running. */
public enum MissedRunPolicy {
    /** Fire nothing for them; carry on at the next future fire time. */
    SKIP,
    /** Fire the most recent ones, at most {@code maxCatchup}, oldest first, each as its own run. */
    CATCHUP,
    /** Record each one as a run with outcome MISSED and no task. */
    FAIL;

    /** The name clients send: skip, catchup, fail. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MissedRunPolicy> fromWire(String text) {
        return Arrays.stream(values()).filter(policy -> policy.wire().equalsIgnoreCase(text)).findFirst();
    }
}
