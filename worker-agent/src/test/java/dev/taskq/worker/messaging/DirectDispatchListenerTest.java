package dev.taskq.worker.messaging;

import static dev.taskq.worker.domain.Dispatches.aDispatch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.event.TaskDispatch;
import dev.taskq.common.json.EventJson;
import dev.taskq.worker.session.SessionSupervisor.Admission;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DirectDispatchListenerTest {

    private final List<TaskDispatch> offered = new ArrayList<>();

    @Test
    void onlyTheDispatchesTargetedAtThisWorkerAreRun() {
        TaskDispatch mine = aDispatch().forWorker("worker-1").build();
        TaskDispatch theirs = aDispatch().forWorker("worker-2").build();
        TaskDispatch nobodys = aDispatch().build();

        for (TaskDispatch dispatch : List.of(theirs, mine, nobodys)) {
            DirectDispatchListener.offer(record(dispatch), "worker-1", this::hold);
        }

        assertThat(offered).containsExactly(mine);
    }

    @Test
    void anUnreadableRecordIsSkipped() {
        DirectDispatchListener.offer(new ConsumerRecord<>("t.tasks.direct", 0, 0, "k", "{".getBytes()), "worker-1", this::hold);
        DirectDispatchListener.offer(new ConsumerRecord<>("t.tasks.direct", 0, 1, "k", null), "worker-1", this::hold);

        assertThat(offered).isEmpty();
    }

    private Admission hold(TaskDispatch dispatch) {
        offered.add(dispatch);
        return Admission.HELD;
    }

    private static ConsumerRecord<String, byte[]> record(TaskDispatch dispatch) {
        return new ConsumerRecord<>("t.tasks.direct", 0, 0, dispatch.taskId().toString(), EventJson.toBytes(dispatch));
    }
}
