package dev.taskq.dependency.persistence;

import dev.taskq.dependency.config.DependencyConfig;
import dev.taskq.dependency.domain.Wakeups;
import dev.taskq.store.persistence.PgNotify;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Holds one dedicated connection that LISTENs for {@code taskq_ready} and {@code taskq_outbox} and wakes the
 * release loop and the outbox relay the moment a transaction that needs them commits.
 */
@ApplicationScoped
public class PgNotificationListener {

    private static final Logger LOG = Logger.getLogger(PgNotificationListener.class);
    private static final int POLL_MILLIS = 500;

    private final Wakeups wakeups;
    private final DependencyConfig config;
    private final String url;
    private final String user;
    private final Optional<String> password;
    private volatile boolean running;
    private Thread thread;

    public PgNotificationListener(
            Wakeups wakeups,
            DependencyConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.wakeups = wakeups;
        this.config = config;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().name("pg-listen").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(2 * POLL_MILLIS);
        }
    }

    private void run() {
        while (running) {
            // Outside the pool on purpose: a LISTEN connection is held for ever and must not be handed to others.
            try (Connection connection = DriverManager.getConnection(url, user, password.orElse(""))) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + PgNotify.TASK_READY_CHANNEL);
                    statement.execute("LISTEN " + PgNotify.OUTBOX_CHANNEL);
                }
                // Whatever committed while nobody listened is picked up by one pass of each loop.
                wakeups.release().signal();
                wakeups.relay().signal();
                PGConnection listener = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = listener.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        dispatch(notifications);
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("LISTEN connection failed, reconnecting in %s: %s", config.listenReconnectDelay(), e.getMessage());
                    pause();
                }
            }
        }
    }

    private void dispatch(PGNotification[] notifications) {
        for (PGNotification notification : notifications) {
            switch (notification.getName()) {
                case PgNotify.TASK_READY_CHANNEL -> wakeups.release().signal();
                case PgNotify.OUTBOX_CHANNEL -> wakeups.relay().signal();
                default -> LOG.debugf("Ignoring notification on %s", notification.getName());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(config.listenReconnectDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
