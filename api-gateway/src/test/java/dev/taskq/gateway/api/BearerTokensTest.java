package dev.taskq.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    @Test
    void aConfiguredTokenIsAcceptedAndAnyOtherRejected() {
        BearerTokens tokens = new BearerTokens(List.of("alpha", "beta"));

        assertThat(tokens.accepts("alpha")).isTrue();
        assertThat(tokens.accepts("beta")).isTrue();
        assertThat(tokens.accepts("alph")).isFalse();
        assertThat(tokens.accepts("alphabet")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
    }

    @Test
    void blankEntriesOfTheCommaSeparatedListAreIgnored() {
        BearerTokens tokens = new BearerTokens(List.of(" alpha ", "  "));

        assertThat(tokens.accepts("alpha")).isTrue();
        assertThat(tokens.accepts("")).isFalse();
    }

    @Test
    void withoutAnyTokenTheGatewayRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> new BearerTokens(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TASKQ_API_TOKENS");
        assertThatThrownBy(() -> new BearerTokens(List.of(" ")))
                .hasMessageContaining("TASKQ_API_TOKENS");
    }
}
