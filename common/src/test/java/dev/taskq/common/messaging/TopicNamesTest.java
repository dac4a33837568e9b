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
}
