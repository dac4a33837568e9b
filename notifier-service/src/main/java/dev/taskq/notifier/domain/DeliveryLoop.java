package dev.taskq.notifier.domain;

import dev.taskq.common.notification.ChannelType;
import dev.taskq.common.notification.DestinationConfigRules;
import dev.taskq.notifier.channel.AddressRefusedException;
import dev.taskq.notifier.channel.Channel;
import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.notifier.persistence.DeliveryStore;
import dev.taskq.notifier.persistence.DeliveryStore.AttemptRecord;
import dev.taskq.notifier.persistence.DeliveryStore.Claimed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Claims due deliveries and sends each on its own virtual thread, within per-destination slots; records every
 * attempt and schedules the retry. Deliveries left due by a crashed replica (or one restarted mid-retry) are
 * claimed again once due, and sent with the same webhook-id: delivery is at least once.
 */
@ApplicationScoped
public class DeliveryLoop {

    private static final Logger LOG = Logger.getLogger(DeliveryLoop.class);

    private final DeliveryStore store;
    private final MessageComposer composer;
    private final Map<ChannelType, Channel> channels = new EnumMap<>(ChannelType.class);
    private final NotifierConfig.Delivery config;
    private final RetrySchedule schedule;
    private final Duration maxRetryAfter;
    private final DestinationConfigRules.UrlPolicy urls;
    private final MeterRegistry meters;
    private final DestinationSlots slots;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong pending = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public DeliveryLoop(DeliveryStore store, MessageComposer composer, Instance<Channel> channels, NotifierConfig config,
                        MeterRegistry meters) {
        this.store = store;
        this.composer = composer;
        channels.forEach(channel -> this.channels.put(channel.type(), channel));
        this.config = config.delivery();
        this.schedule = new RetrySchedule(config.retry().schedule(), config.retry().jitter());
        this.maxRetryAfter = config.retry().maxRetryAfter();
        this.urls = new DestinationConfigRules.UrlPolicy(config.allowInsecureUrls(), config.allowPrivateAddresses());
        this.meters = meters;
        this.slots = new DestinationSlots(config.delivery().maxInFlightPerDestination());
        meters.gauge("taskq.notifications.pending", pending);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofVirtual().name("notification-delivery").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wakeUp();
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** New deliveries or a freed slot: claim now rather than at the next poll. */
    public void wakeUp() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Instant nextGauge = Instant.EPOCH;
        while (running) {
            int claimed = 0;
            try {
                if (!Instant.now().isBefore(nextGauge)) {
                    pending.set(store.countDue());
                    nextGauge = Instant.now().plus(config.pendingGaugeInterval());
                }
                claimed = claimAndSend();
            } catch (RuntimeException e) {
                LOG.warnf("Claiming deliveries failed, trying again in %s: %s", config.pollInterval(), e.getMessage());
            }
            if (claimed == 0) {
                awaitWakeUp(config.pollInterval());
            }
        }
    }

    private void awaitWakeUp(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!woken && running && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Claims what free slots allow and starts a sender for each; returns how many were claimed. */
    int claimAndSend() {
        int room = config.maxInFlight() - inFlight.get();
        if (room <= 0) {
            return 0;
        }
        List<Claimed> claimed = store.claim(slots.unavailable(Instant.now()), slots.perDestination(),
                Math.min(room, config.claimBatchSize()), config.claimTimeout(), this::withinSlots);
        for (Claimed delivery : claimed) {
            inFlight.incrementAndGet();
            Thread.ofVirtual().name("notify-" + delivery.id()).start(() -> {
                try {
                    deliver(delivery);
                } finally {
                    slots.release(delivery.destinationKey());
                    inFlight.decrementAndGet();
                    wakeUp();
                }
            });
        }
        return claimed.size();
    }

    /** Keeps only the candidates that get a slot now (acquired here, released when their send ends). */
    private List<Claimed> withinSlots(List<Claimed> candidates) {
        List<Claimed> chosen = new ArrayList<>();
        Map<String, Boolean> full = new HashMap<>();
        for (Claimed candidate : candidates) {
            if (!full.containsKey(candidate.destinationKey()) && slots.tryAcquire(candidate.destinationKey())) {
                chosen.add(candidate);
            } else {
                full.put(candidate.destinationKey(), true);
            }
        }
        return chosen;
    }

    void deliver(Claimed delivery) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        SendResult result;
        try {
            result = send(delivery);
        } catch (AddressRefusedException e) {
            // The receiver's name resolved to an address the policy refuses: sending again would be refused again.
            result = SendResult.failed(null, e.getMessage());
        } catch (RuntimeException e) {
            // A bug or the database, never the receiver's answer: retry on the schedule, without the details of e
            // in the stored error in case they quote a destination's configuration.
            LOG.errorf("Delivery %s attempt %d failed unexpectedly: %s", delivery.id(), delivery.attempt(), e.getClass().getName());
            result = SendResult.retry(null, "internal error (" + e.getClass().getSimpleName() + ")", null);
        }
        long nanos = System.nanoTime() - startNanos;
        Timer.builder("taskq.notifications.delivery.duration").tag("channel", delivery.channel().wireName())
                .register(meters).record(nanos, TimeUnit.NANOSECONDS);
        AttemptRecord record = next(delivery, result, started, TimeUnit.NANOSECONDS.toMillis(nanos));
        if (result.outcome() == SendResult.Outcome.RETRY && result.retryAfter() != null) {
            slots.pause(delivery.destinationKey(), record.nextAttemptAt());
        }
        try {
            if (!store.record(delivery, record)) {
                LOG.infof("Delivery %s attempt %d finished after its claim timed out; another attempt owns it now",
                        delivery.id(), delivery.attempt());
            }
        } catch (RuntimeException e) {
            // The claim times out and the delivery is sent again: at least once.
            LOG.warnf("Could not record attempt %d of delivery %s: %s", delivery.attempt(), delivery.id(), e.getMessage());
            return;
        }
        meters.counter("taskq.notifications.deliveries", "channel", delivery.channel().wireName(),
                "outcome", record.outcome()).increment();
        if (record.disableReason() != null) {
            LOG.warnf("Disabled destination %s: %s", delivery.destinationKey(), record.disableReason());
        }
    }

    private SendResult send(Claimed delivery) {
        Optional<DeliveryStore.Destination> destination = store.destinationOf(delivery);
        if (destination.isEmpty()) {
            return SendResult.failed(null, "the destination was deleted");
        }
        if (!destination.get().enabled()) {
            return new SendResult(SendResult.Outcome.DISABLE, null, "the destination is disabled: "
                    + destination.get().disabledReason(), null);
        }
        Target target = destination.get().target();
        if (!DestinationConfigRules.validate(target.channel(), target.config(), "", urls).isEmpty()) {
            return SendResult.failed(null, "the destination's configuration is invalid (see the destination's fields)");
        }
        NotificationMessage message = composer.compose(delivery,
                MessageComposer.aboutTask(delivery) ? store.task(delivery.taskId()).orElse(null) : null);
        return channels.get(target.channel()).send(target, message, delivery.id());
    }

    /** What becomes of the delivery after this result: delivered, retried (when), failed, dead or disabled. */
    AttemptRecord next(Claimed delivery, SendResult result, Instant at, long millis) {
        return switch (result.outcome()) {
            case DELIVERED -> new AttemptRecord("delivered", "DELIVERED", null, delivery.retryCount(),
                    result.responseCode(), null, millis, at, null);
            case FAILED -> new AttemptRecord("failed", "FAILED", null, delivery.retryCount(),
                    result.responseCode(), result.error(), millis, at, null);
            case DISABLE -> new AttemptRecord("disabled", "DISABLED", null, delivery.retryCount(),
                    result.responseCode(), result.error(),
                    millis, at, result.responseCode() == null ? null : result.error());
            case RETRY -> {
                int failures = delivery.retryCount() + 1;
                Optional<Duration> pause = schedule.pauseAfter(failures, ThreadLocalRandom.current());
                if (pause.isEmpty()) {
                    yield new AttemptRecord("dead", "DEAD", null, failures, result.responseCode(), result.error(), millis, at, null);
                }
                Duration wait = result.retryAfter() != null
                        ? (result.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : result.retryAfter())
                        : pause.get();
                yield new AttemptRecord("retried", "PENDING", Instant.now().plus(wait), failures, result.responseCode(),
                        result.error(), millis, at, null);
            }
        };
    }
}
