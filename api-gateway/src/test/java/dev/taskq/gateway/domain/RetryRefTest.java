package dev.taskq.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryRefTest {

    @Test
    void aRetryIsNamedAfterItsOriginalWithItsGeneration() {
        assertThat(RetryCommands.retryRef("build")).isEqualTo("build#2");
        assertThat(RetryCommands.retryRef("build#2")).isEqualTo("build#3");
        assertThat(RetryCommands.retryRef("build#9")).isEqualTo("build#10");
    }

    @Test
    void aTaskOutsideAnyWorkflowHasNoRefToCarry() {
        assertThat(RetryCommands.retryRef(null)).isNull();
    }

    @Test
    void aRefTooLongForASuffixLeavesTheRetryWithoutOne() {
        assertThat(RetryCommands.retryRef("r".repeat(98))).hasSize(100);
        assertThat(RetryCommands.retryRef("r".repeat(99))).isNull();
    }
}
