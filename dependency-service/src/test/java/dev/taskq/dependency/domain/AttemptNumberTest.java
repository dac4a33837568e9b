package dev.taskq.dependency.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttemptNumberTest {

    @Test
    void anAttemptWithoutRescuesBeforeItReadsAsItAlwaysDid() {
        assertThat(AttemptNumber.of(2).describe(3)).isEqualTo("attempt 2 of 3");
        assertThat(AttemptNumber.of(2).rescuedBefore()).isZero();
    }

    @Test
    void anAttemptAfterRescuesNamesItsOwnNumberAndItsCount() {
        assertThat(new AttemptNumber(2, 1).describe(1)).isEqualTo("attempt 2 (counted 1 of 1; 1 rescued dispatch not counted)");
        assertThat(new AttemptNumber(5, 3).describe(3)).isEqualTo("attempt 5 (counted 3 of 3; 2 rescued dispatches not counted)");
    }

    @Test
    void theCountIsAtLeastOneAndAtMostTheNumber() {
        assertThatThrownBy(() -> new AttemptNumber(2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AttemptNumber(2, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
