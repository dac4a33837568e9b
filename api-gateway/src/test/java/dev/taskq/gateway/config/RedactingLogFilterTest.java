package dev.taskq.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class RedactingLogFilterTest {

    private final RedactingLogFilter filter = new RedactingLogFilter();

    @Test
    void aCredentialInALogMessageOrItsParametersIsMaskedAndTheLineStillLogged() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "calling with %s for %s", ExtLogRecord.FormatStyle.PRINTF,
                RedactingLogFilterTest.class.getName());
        record.setParameters(new Object[] {"Authorization: Bearer tq_0123456789abcdefghijABCDEFGHIJ0123456789", "task 7"});

        assertThat(filter.isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage()).isEqualTo("calling with Authorization: Bearer tq_[REDACTED] for task 7");
    }

    @Test
    void aLineWithoutCredentialsIsLeftAsItWas() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "task %s queued", ExtLogRecord.FormatStyle.PRINTF, "x");
        record.setParameters(new Object[] {"7"});

        assertThat(filter.isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage()).isEqualTo("task 7 queued");
        assertThat(record.getParameters()).containsExactly("7");
    }
}
