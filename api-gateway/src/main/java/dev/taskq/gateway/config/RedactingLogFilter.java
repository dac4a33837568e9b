package dev.taskq.gateway.config;

import dev.taskq.common.security.Redactor;
import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Masks credentials (API keys, bearer tokens, provider keys: see {@link Redactor}) in every line the gateway logs, so a
 * message that quotes a request, a prompt or an exception cannot leak one into the log store.
 */
@LoggingFilter(name = RedactingLogFilter.NAME)
public final class RedactingLogFilter implements Filter {

    /** The name quarkus.log.console.filter refers to. */
    public static final String NAME = "redact-credentials";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String formatted = ext.getFormattedMessage();
            String redacted = Redactor.redact(formatted);
            if (redacted != null && !redacted.equals(formatted)) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        return true;
    }
}
