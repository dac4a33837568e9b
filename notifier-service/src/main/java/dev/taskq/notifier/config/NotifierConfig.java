package dev.taskq.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Settings of notifier-service: links, channels, the delivery loop, retries and the lifecycle consumer. */
@ConfigMapping(prefix = "taskq.notifier")
public interface NotifierConfig {

    /** Messages link to the task as this base followed by the task id. */
    @WithDefault("http://127.0.0.1:8080/api/v1/tasks/")
    String taskLinkBase();

    /**
     * Accept plain http and any host for Discord and webhook URLs. Off in production (https only, Discord on
     * discord.com); tests turn it on to point destinations at local receivers.
     */
    @WithDefault("false")
    boolean allowInsecureUrls();

    /**
     * Send to hosts that are, or resolve to, loopback, link-local or private addresses (AddressRules). Off in
     * production, so no destination reaches internal services; the local stack and tests turn it on for receivers on
     * this machine. Applies to the Telegram API base too.
     */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /**
     * Where people reach taskq: workflow and schedule messages link to {@code <base>/api/v1/...} and the dashboard at
     * {@code <base>/ui/}.
     */
    @WithDefault("http://127.0.0.1:8080")
    String publicBaseUrl();

    /** Base URL of the Telegram Bot API; tests point it at a local stand-in. */
    @WithDefault("https://api.telegram.org")
    String telegramApiBase();

    /** The delivery loop: claiming, concurrency and HTTP timeouts. */
    Delivery delivery();

    /** When failed deliveries are tried again. */
    Retry retry();

    /** The consumer of {@code task-lifecycle}. */
    Consumer consumer();

    /** How long settled deliveries and their attempts are kept. */
    Retention retention();

    /**
     * Retention of the delivery log: a delivery that is no longer PENDING (delivered, failed, dead or disabled) is
     * deleted with its attempts once it has not changed for {@link #deliveries()}, so the table does not grow with
     * every event for ever.
     */
    interface Retention {

        /** How long after its last change a settled delivery is deleted; 0 keeps them for ever. */
        @WithDefault("30d")
        Duration deliveries();

        /** How often the sweep runs (a Quarkus scheduler "every" expression; it first runs one interval after start). */
        @WithDefault("10m")
        String interval();

        /** Most deliveries deleted in one transaction; the sweep goes on while batches are full. */
        @WithDefault("1000")
        int batchSize();
    }

    /** The delivery loop: claiming, concurrency and HTTP timeouts. */
    interface Delivery {

        /** How often the loop looks for due deliveries when nothing woke it (new events wake it at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Most deliveries claimed in one transaction. */
        @WithDefault("200")
        int claimBatchSize();

        /** Most sends in flight at once in this replica, over all destinations. */
        @WithDefault("256")
        int maxInFlight();

        /** Most sends in flight at once to one destination in this replica: a hanging receiver holds only these. */
        @WithDefault("4")
        int maxInFlightPerDestination();

        /** How long establishing a connection to a receiver may take. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** How long a receiver may take to answer one request before the attempt counts as failed. */
        @WithDefault("15s")
        Duration requestTimeout();

        /**
         * How long a claimed delivery stays invisible to other claims. It must exceed the request timeout: a
         * replica that dies mid-send leaves the delivery due again after this, and it is sent again (same webhook-id).
         */
        @WithDefault("2m")
        Duration claimTimeout();

        /** How often the {@code taskq.notifications.pending} gauge counts due deliveries. */
        @WithDefault("5s")
        Duration pendingGaugeInterval();
    }

    /** When failed deliveries are tried again. */
    interface Retry {

        /**
         * The pause before each retry, in order; after the last one fails the delivery is dead. Ten attempts
         * over about 15 hours by default.
         */
        @WithDefault("5s,30s,2m,10m,30m,1h,2h,4h,8h")
        List<Duration> schedule();

        /** Each pause is randomly stretched or shrunk by up to this fraction, so retries of one outage spread out. */
        @WithDefault("0.2")
        double jitter();

        /** The longest wait a receiver's Retry-After / retry_after is honoured with; longer ones are cut to this. */
        @WithDefault("1h")
        Duration maxRetryAfter();
    }

    /**
     * The consumers of {@code task-lifecycle}, {@code workflow-lifecycle} and {@code schedule-runs} (group
     * {@code <group-prefix>notifier-service}).
     */
    interface Consumer {

        /** Most events turned into deliveries in one transaction. */
        @WithDefault("500")
        int maxPollRecords();

        /** Pause before a batch that failed (e.g. Postgres down) is read again. */
        @WithDefault("1s")
        Duration retryBackoff();
    }
}
