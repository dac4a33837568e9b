package dev.taskq.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.common.messaging.TopicNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedPoolsTest {

    @Test
    void poolsAreTrimmedAndDeduplicatedInTheirConfiguredOrder() {
        assertThat(new ServedPools(List.of(" gpu", "default", "gpu ", "")).names()).containsExactly("gpu", "default");
    }

    @Test
    void noPoolAtAllMeansTheDefaultPool() {
        assertThat(new ServedPools(List.of(" ")).names()).containsExactly(TopicNames.DEFAULT_POOL);
    }

    @Test
    void aNameThatCouldNotBeATasksPoolIsRefusedAtStartup() {
        assertThatThrownBy(() -> new ServedPools(List.of("GPU/1"))).hasMessageContaining("taskq.worker.pools");
    }

    @Test
    void theWorkerReadsTheDispatchTopicsOfEveryPoolItServes() {
        assertThat(new ServedPools(List.of("default", "gpu")).dispatchTopics(new TopicNames("t.")))
                .containsExactly("t.tasks.p0", "t.tasks.p1", "t.tasks.p2", "t.tasks.p3",
                        "t.tasks.pool.gpu.p0", "t.tasks.pool.gpu.p1", "t.tasks.pool.gpu.p2", "t.tasks.pool.gpu.p3");
    }
}
