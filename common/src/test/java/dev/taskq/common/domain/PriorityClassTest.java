package dev.taskq.common.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PriorityClassTest {

    @ParameterizedTest(name = "priority {0} is {1}")
    @CsvSource({"10,P0", "9,P0", "8,P1", "7,P1", "6,P2", "5,P2", "4,P2", "3,P3", "2,P3", "1,P3"})
    void numericPrioritiesMapOntoTheFourClasses(int priority, PriorityClass expected) {
        assertThat(PriorityClass.of(priority)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" parses to {1}")
    @CsvSource({"P0,10", "p1,8", "P2,5", "P3,2", "7,7", " 1 ,1"})
    void namedAndNumericPrioritiesParse(String text, int expected) {
        assertThat(PriorityClass.parsePriority(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "11", "P4", "high", ""})
    void anythingElseIsRejectedWithAReason(String text) {
        assertThatThrownBy(() -> PriorityClass.parsePriority(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 5, 7, 9, 10})
    void aNamedClassRoundTripsThroughItsRepresentativePriority(int priority) {
        PriorityClass priorityClass = PriorityClass.of(priority);
        assertThat(PriorityClass.of(priorityClass.representativePriority())).isEqualTo(priorityClass);
    }

    @Test
    void eachClassStartsAtItsLowestPriority() {
        for (PriorityClass priorityClass : PriorityClass.values()) {
            assertThat(PriorityClass.of(priorityClass.lowestPriority())).isEqualTo(priorityClass);
            if (priorityClass.lowestPriority() > PriorityClass.MIN_PRIORITY) {
                assertThat(PriorityClass.of(priorityClass.lowestPriority() - 1)).isNotEqualTo(priorityClass);
            }
        }
    }
}
