package dev.taskq.worker.messaging;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.PriorityClass;
import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.json.EventJson;
import dev.taskq.common.messaging.TopicNames;
import dev.taskq.worker.session.SessionSupervisor.Admission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DispatchIntakeTest {

    private static final TopicNames TOPICS = new TopicNames("taskq.");
    private static final TopicPartition P3 = new TopicPartition(TOPICS.dispatch(PriorityClass.P3), 0);
    private static final TopicPartition P0 = new TopicPartition(TOPICS.dispatch(PriorityClass.P0), 1);
    private static final TopicPartition P2 = new TopicPartition(TOPICS.dispatch(PriorityClass.P2), 2);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private final List<TaskDispatch> admitted = new ArrayList<>();

    @Test
    void theMostUrgentRecordTakesTheOneFreeSlotAndTheRestAreFetchedAgain() {
        TaskDispatch low1 = aDispatch().build();
        TaskDispatch low2 = aDispatch().build();
        TaskDispatch urgent = aDispatch().build();
        TaskDispatch normal = aDispatch().build();
        ConsumerRecords<String, byte[]> records = records(Map.of(
                P3, List.of(record(P3, 5, low1), record(P3, 6, low2)),
                P0, List.of(record(P0, 9, urgent)),
                P2, List.of(record(P2, 3, normal))));

        DispatchIntake.take(consumer, records, TOPICS, slots(1));

        assertThat(admitted).containsExactly(urgent);
        assertThat(consumer.committed(Set.of(P0, P2, P3)))
                .containsEntry(P0, new OffsetAndMetadata(10))
                .doesNotContainKeys(P2, P3);
        assertThat(consumer.position(P2)).isEqualTo(3);
        assertThat(consumer.position(P3)).isEqualTo(5);
    }

    @Test
    void withSlotsForAllEveryRecordIsTakenAndCommitted() {
        TaskDispatch low = aDispatch().build();
        TaskDispatch urgent = aDispatch().build();
        ConsumerRecords<String, byte[]> records = records(Map.of(
                P3, List.of(record(P3, 0, low)), P0, List.of(record(P0, 0, urgent))));

        DispatchIntake.take(consumer, records, TOPICS, slots(2));

        assertThat(admitted).containsExactly(urgent, low);
        assertThat(consumer.committed(Set.of(P0, P3)))
                .containsEntry(P0, new OffsetAndMetadata(1))
                .containsEntry(P3, new OffsetAndMetadata(1));
    }

    @Test
    void redeliveredUnreadableAndCancelledDispatchesAreCommittedWithoutTakingASlot() {
        TaskDispatch seen = aDispatch().build();
        TaskDispatch fresh = aDispatch().build();
        ConsumerRecord<String, byte[]> garbage =
                new ConsumerRecord<>(P2.topic(), P2.partition(), 0, "k", "not json".getBytes());
        ConsumerRecords<String, byte[]> records = records(Map.of(
                P2, List.of(garbage, record(P2, 1, seen), record(P2, 2, fresh))));

        DispatchIntake.take(consumer, records, TOPICS, dispatch -> {
            if (dispatch.equals(seen)) {
                return Admission.ALREADY_SEEN;
            }
            admitted.add(dispatch);
            return Admission.STARTED;
        });

        assertThat(admitted).containsExactly(fresh);
        assertThat(consumer.committed(Set.of(P2))).containsEntry(P2, new OffsetAndMetadata(3));
    }

    @Test
    void aMoreUrgentClassOfAnyServedPoolGoesFirst() {
        TopicPartition gpuP0 = new TopicPartition(TOPICS.dispatch("gpu", PriorityClass.P0), 0);
        TopicPartition gpuP3 = new TopicPartition(TOPICS.dispatch("gpu", PriorityClass.P3), 0);
        TaskDispatch gpuUrgent = aDispatch().build();
        TaskDispatch gpuLow = aDispatch().build();
        TaskDispatch defaultNormal = aDispatch().build();
        ConsumerRecords<String, byte[]> records = records(Map.of(
                gpuP3, List.of(record(gpuP3, 0, gpuLow)),
                P2, List.of(record(P2, 0, defaultNormal)),
                gpuP0, List.of(record(gpuP0, 0, gpuUrgent))));

        DispatchIntake.take(consumer, records, TOPICS, slots(2));

        assertThat(admitted).containsExactly(gpuUrgent, defaultNormal);
        assertThat(consumer.position(gpuP3)).isZero();
    }

    @Test
    void aClosedGateLeavesTheRestForLaterOnceTheFirstSessionRuns() {
        TaskDispatch first = aDispatch().build();
        TaskDispatch second = aDispatch().build();
        ConsumerRecords<String, byte[]> records = records(Map.of(P2, List.of(record(P2, 0, first), record(P2, 1, second))));
        boolean gateOpen = false;

        // Two free slots, but a closed gate admits only while nothing runs, as the resource monitor does.
        DispatchIntake.take(consumer, records, TOPICS, DispatchIntake.gated(slots(2), () -> admitted.isEmpty() || gateOpen));

        assertThat(admitted).containsExactly(first);
        assertThat(consumer.committed(Set.of(P2))).containsEntry(P2, new OffsetAndMetadata(1));
        assertThat(consumer.position(P2)).isEqualTo(1);
    }

    @Test
    void anOpenGateLeavesTheSlotsToDecide() {
        TaskDispatch first = aDispatch().build();
        TaskDispatch second = aDispatch().build();
        ConsumerRecords<String, byte[]> records = records(Map.of(P2, List.of(record(P2, 0, first), record(P2, 1, second))));

        DispatchIntake.take(consumer, records, TOPICS, DispatchIntake.gated(slots(2), () -> true));

        assertThat(admitted).containsExactly(first, second);
    }

    /** Admits while it has free slots, like the supervisor. */
    private Function<TaskDispatch, Admission> slots(int free) {
        return dispatch -> {
            if (admitted.size() >= free) {
                return Admission.NO_FREE_SLOT;
            }
            admitted.add(dispatch);
            return Admission.STARTED;
        };
    }

    private ConsumerRecords<String, byte[]> records(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition) {
        consumer.assign(byPartition.keySet());
        Map<TopicPartition, Long> beginnings = new LinkedHashMap<>();
        byPartition.keySet().forEach(partition -> beginnings.put(partition, 0L));
        consumer.updateBeginningOffsets(beginnings);
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset, TaskDispatch dispatch) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, dispatch.taskId().toString(),
                EventJson.toBytes(dispatch));
    }
}
