package dev.taskq.common.domain;

import static dev.taskq.common.domain.TaskStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TaskStatusTest {

    /** The whole table, written out independently of the enum so a change to either is caught. */
    private static final Set<String> EXPECTED_ALLOWED = Set.of(
            "WAITING->QUEUED", "WAITING->UPSTREAM_FAILED", "WAITING->SKIPPED", "WAITING->CANCELLED",
            "QUEUED->DISPATCHED", "QUEUED->CANCELLED",
            "DISPATCHED->RUNNING", "DISPATCHED->FAILED", "DISPATCHED->CANCELLED", "DISPATCHED->QUEUED",
            "DISPATCHED->WAITING_FOR_INPUT",
            "RUNNING->SUCCEEDED", "RUNNING->FAILED", "RUNNING->TIMED_OUT", "RUNNING->CANCELLED", "RUNNING->QUEUED",
            "RUNNING->WAITING_FOR_INPUT",
            "WAITING_FOR_INPUT->QUEUED", "WAITING_FOR_INPUT->CANCELLED");

    static Stream<Arguments> everyPair() {
        return Stream.of(values()).flatMap(from -> Stream.of(values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void eachPairIsAllowedExactlyWhenTheTableSaysSo(TaskStatus from, TaskStatus to) {
        assertThat(from.canTransitionTo(to)).isEqualTo(EXPECTED_ALLOWED.contains(from + "->" + to));
    }

    @Test
    void terminalStatesAllowNoWayOut() {
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::isTerminal))
                .containsExactlyInAnyOrder(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, UPSTREAM_FAILED, SKIPPED);
    }

    @Test
    void onlySuccessReleasesDependents() {
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::satisfiesDependents))
                .containsExactly(SUCCEEDED);
    }

    @Test
    void everyUnfinishedTaskCanBeCancelled() {
        assertThat(TaskStatus.cancellable()).containsExactlyInAnyOrder(WAITING, QUEUED, DISPATCHED, RUNNING, WAITING_FOR_INPUT);
    }

    @Test
    void noStateTransitionsToItself() {
        for (TaskStatus status : values()) {
            assertThat(status.canTransitionTo(status)).as(status.name()).isFalse();
        }
    }
}
