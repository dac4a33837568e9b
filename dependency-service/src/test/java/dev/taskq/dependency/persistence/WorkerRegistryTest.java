package dev.taskq.dependency.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.event.WorkerHeartbeat;
import dev.taskq.dependency.persistence.WorkerRegistry.Recorded;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Instant LIVE_AFTER = NOW.minusSeconds(10);
    private static final Recorded LIVE_WITH_ONE_FREE = new Recorded(4, 3, List.of("default"), NOW.minusSeconds(3));

    @Test
    void aHeartbeatWithMoreFreeSlotsBringsCapacity() {
        assertThat(LIVE_WITH_ONE_FREE.outgrownBy(heartbeat(4, 2, "default"), LIVE_AFTER)).isTrue();
    }

    @Test
    void aHeartbeatWithMoreSlotsAndAsManyBusyBringsCapacity() {
        assertThat(LIVE_WITH_ONE_FREE.outgrownBy(heartbeat(6, 3, "default"), LIVE_AFTER)).isTrue();
    }

    @Test
    void aHeartbeatAsFullAsTheLastBringsNothing() {
        assertThat(LIVE_WITH_ONE_FREE.outgrownBy(heartbeat(4, 3, "default"), LIVE_AFTER)).isFalse();
    }

    @Test
    void aHeartbeatWithFewerFreeSlotsBringsNothing() {
        assertThat(LIVE_WITH_ONE_FREE.outgrownBy(heartbeat(4, 4, "default"), LIVE_AFTER)).isFalse();
    }

    @Test
    void aWorkerBackAfterFallingSilentBringsCapacityEvenAsBusyAsBefore() {
        Recorded silent = new Recorded(4, 3, List.of("default"), LIVE_AFTER.minusSeconds(1));
        assertThat(silent.outgrownBy(heartbeat(4, 3, "default"), LIVE_AFTER)).isTrue();
    }

    @Test
    void aWorkerThatNowServesAnotherPoolBringsCapacity() {
        assertThat(LIVE_WITH_ONE_FREE.outgrownBy(heartbeat(4, 3, "default", "gpu"), LIVE_AFTER)).isTrue();
    }

    @Test
    void aWorkerThatDropsAPoolBringsNothing() {
        Recorded twoPools = new Recorded(4, 3, List.of("default", "gpu"), NOW.minusSeconds(3));
        assertThat(twoPools.outgrownBy(heartbeat(4, 3, "gpu"), LIVE_AFTER)).isFalse();
    }

    private static WorkerHeartbeat heartbeat(int slots, int busy, String... pools) {
        return new WorkerHeartbeat("w-1", "host", NOW, slots, busy, List.of(pools), List.of(), null);
    }
}
