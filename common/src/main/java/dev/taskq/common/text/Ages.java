package dev.taskq.common.text;

import java.time.Duration;

/** How old something is, as a person says it: what the CLI prints and what the session hooks tell a Claude session. */
public final class Ages {

    private Ages() {}

    /** {@code duration} in its largest unit, rounded down: 45s, 12m, 3h, 5d; a negative one (a clock ahead) is 0s. */
    public static String of(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86_400 + "d";
    }
}
