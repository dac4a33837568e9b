package dev.taskq.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.PriorityClass;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void dispatchTopicsAreListedMostUrgentFirstUnderThePrefix() {
        assertThat(new TopicNames("test-1.").dispatchTopicsByPriority())
                .containsExactly("test-1.tasks.p0", "test-1.tasks.p1", "test-1.tasks.p2", "test-1.tasks.p3");
    }

    @Test
    void aDispatchTopicNamesItsPriorityClass() {
        TopicNames topics = new TopicNames(null);
        assertThat(topics.priorityOfDispatchTopic("taskq.tasks.p1")).isEqualTo(PriorityClass.P1);
        assertThat(topics.priorityOfDispatchTopic("taskq.task-events")).isNull();
    }

    @Test
    void aNamedPoolHasItsOwnDispatchTopicsAndTheDefaultPoolKeepsThePlainNames() {
        TopicNames topics = new TopicNames("t.");
        assertThat(topics.dispatchTopicsByPriority("gpu"))
                .containsExactly("t.tasks.pool.gpu.p0", "t.tasks.pool.gpu.p1", "t.tasks.pool.gpu.p2", "t.tasks.pool.gpu.p3");
        assertThat(topics.dispatch(TopicNames.DEFAULT_POOL, PriorityClass.P3)).isEqualTo("t.tasks.p3");
        assertThat(topics.priorityOfDispatchTopic("t.tasks.pool.gpu.p2")).isEqualTo(PriorityClass.P2);
        assertThat(topics.priorityOfDispatchTopic("t.tasks.pool.p0.p1")).isEqualTo(PriorityClass.P1);
        assertThat(topics.priorityOfDispatchTopic("t.tasks.direct")).isNull();
        assertThat(topics.priorityOfDispatchTopic("other.tasks.p0")).isNull();
    }

    @Test
    void theDirectTopicIsAmongTheFixedTopics() {
        assertThat(new TopicNames("t.").all()).contains("t.tasks.direct", "t.tasks.p0", "t.task-events");
    }
}
