package dev.taskq.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The scheduler's own settings, under {@code taskq.scheduler}. */
@ConfigMapping(prefix = "taskq.scheduler")
public interface SchedulerConfig {

    /**
     * Run the firing loop. Off only in tests that drive {@code ScheduleFirer} themselves; a replica with the loop off
     * fires nothing.
     */
    @WithDefault("true")
    boolean loopEnabled();

    /** How long an idle loop sleeps before looking for due schedules again: the worst lateness of an on-time fire. */
    @WithDefault("250ms")
    Duration pollInterval();

    /** How long the loop waits after a failed pass (e.g. Postgres unreachable) before trying again. */
    @WithDefault("2s")
    Duration errorBackoff();

    /** The most schedules one pass claims and fires in one transaction; a full batch is followed by another at once. */
    @WithDefault("100")
    int batchSize();

    /**
     * Downtime: a gap longer than this between two scheduler passes (of any replica) is a period in which no scheduler
     * ran. A fire time inside such a period and more than this before now counts as missed and follows the schedule's
     * missed-run policy; any other late fire time is backlog and fires, however busy the scheduler was.
     */
    @WithDefault("60s")
    Duration misfireThreshold();

    /** How often the loop looks for runs whose task or workflow ended, to announce those that failed (RUN_FAILED). */
    @WithDefault("2s")
    Duration settleInterval();
}
