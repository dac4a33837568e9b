package dev.taskq.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.notifier.channel.Channel;
import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.notifier.persistence.DeliveryStore;
import dev.taskq.notifier.testing.Events;
import dev.taskq.notifier.testing.LifecycleTopicResource;
import dev.taskq.notifier.testing.Rows;
import dev.taskq.notifier.testing.TelegramApiResource;
import dev.taskq.testsupport.HttpReceiver;
import dev.taskq.testsupport.HttpReceiver.Answer;
import dev.taskq.testsupport.KafkaTestResource;
import dev.taskq.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several delivery loops claiming from one table at once, as several notifier replicas do: the app's own loop plus
 * three more in this JVM, each with its own slots, all on the same database.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(LifecycleTopicResource.class)
@QuarkusTestResource(TelegramApiResource.class)
class DeliveryReplicasIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final int EXTRA_REPLICAS = 3;
    private static final int TASKS = 40;

    @Inject
    DeliveryStore store;
    @Inject
    MessageComposer composer;
    @Inject
    Instance<Channel> channels;
    @Inject
    NotifierConfig config;
    @Inject
    MeterRegistry meters;

    /** A receiver that answers slowly (so claims of several replicas overlap), 503 to each message's first try, then 200. */
    private static final class CountingEndpoint {
        final HttpReceiver receiver = HttpReceiver.start();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();

        CountingEndpoint() {
            receiver.byDefault(request -> {
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    // The receiver's own latency, not a wait of the test.
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
                String id = request.header("webhook-id");
                if (tries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet() == 1) {
                    return Answer.of(503, "{\"error\":\"warming up\"}");
                }
                successes.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
                return Answer.of(200, "{}");
            });
        }
    }

    @Test
    void fourReplicasClaimingTogetherSendEachDeliveryOncePerSuccessAndKeepEachDestinationsInFlightLimit() {
        List<DeliveryLoop> replicas = new ArrayList<>();
        List<CountingEndpoint> endpoints = List.of(new CountingEndpoint(), new CountingEndpoint(), new CountingEndpoint());
        try {
            for (int i = 0; i < EXTRA_REPLICAS; i++) {
                DeliveryLoop replica = new DeliveryLoop(store, composer, channels, config, meters);
                replica.start(null);
                replicas.add(replica);
            }
            for (CountingEndpoint endpoint : endpoints) {
                UUID destination = Rows.destination("WEBHOOK", Map.of("url", endpoint.receiver.url("/replicas"), "secret", SECRET));
                Rows.subscribe(destination, "replicas");
            }
            List<UUID> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                UUID task = Rows.task("replica " + i, "SUCCEEDED", "replicas");
                tasks.add(task);
                Events.publish(Events.finished(task, TaskStatus.SUCCEEDED, null));
            }

            await().atMost(Duration.ofSeconds(90)).until(() -> tasks.stream().allMatch(task ->
                    Rows.deliveries(task).stream().filter(d -> d.status().equals("DELIVERED")).count() == endpoints.size()));

            int perDestination = config.delivery().maxInFlightPerDestination();
            for (CountingEndpoint endpoint : endpoints) {
                assertThat(endpoint.successes).hasSize(TASKS).allSatisfy((id, count) -> assertThat(count.get()).as(id).isEqualTo(1));
                // One 503 and one 200 per message: no delivery was claimed by two replicas at once.
                assertThat(endpoint.receiver.requests()).hasSize(2 * TASKS);
                assertThat(endpoint.maxInFlight.get()).isLessThanOrEqualTo((EXTRA_REPLICAS + 1) * perDestination);
            }
            for (UUID task : tasks) {
                for (Rows.DeliveryRow delivery : Rows.deliveries(task)) {
                    assertThat(Rows.attempts(delivery.id())).extracting(Rows.AttemptRow::outcome).containsExactly("retried", "delivered");
                }
            }
        } finally {
            for (DeliveryLoop replica : replicas) {
                try {
                    replica.stop(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            endpoints.forEach(endpoint -> endpoint.receiver.close());
        }
    }
}
