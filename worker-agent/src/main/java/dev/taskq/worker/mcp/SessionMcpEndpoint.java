package dev.taskq.worker.mcp;

import dev.taskq.worker.config.WorkerConfig;
import dev.taskq.worker.domain.SessionMcpConfig;
import dev.taskq.worker.session.SessionQuestions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Tells sessions where the worker's MCP endpoint is: on loopback at the port the HTTP server bound. That port is read
 * when a session starts (the configuration reports the bound one once the server listens, also when configured as
 * 0), and kept once known.
 */
@ApplicationScoped
public class SessionMcpEndpoint {

    private static final Logger LOG = Logger.getLogger(SessionMcpEndpoint.class);

    private final SessionQuestions questions;
    private final boolean enabled;
    private volatile SessionMcpConfig resolved;
    private volatile boolean unreachable;

    public SessionMcpEndpoint(SessionQuestions questions, WorkerConfig config) {
        this.questions = questions;
        this.enabled = config.askHuman().enabled();
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            questions.serveAt(this::current);
        } else {
            LOG.info("AskHuman is off (taskq.worker.ask-human.enabled=false): sessions get no MCP server of the worker");
        }
    }

    /** The endpoint, or empty while the server does not listen yet (or listens where loopback cannot reach it). */
    Optional<SessionMcpConfig> current() {
        SessionMcpConfig known = resolved;
        if (known != null || unreachable) {
            return Optional.ofNullable(known);
        }
        Config config = ConfigProvider.getConfig();
        int port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(0);
        if (port <= 0) {
            return Optional.empty();
        }
        String bound = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        String host = loopbackHost(bound);
        if (host == null) {
            unreachable = true;
            LOG.warnf("AskHuman is off: the HTTP server listens on %s only, which sessions cannot reach on loopback; "
                    + "let quarkus.http.host be 0.0.0.0 or a loopback address", bound);
            return Optional.empty();
        }
        SessionMcpConfig endpoint = new SessionMcpConfig("http://" + host + ":" + port + SessionMcpRoute.PATH);
        resolved = endpoint;
        LOG.infof("Sessions ask a human through %s", endpoint.url());
        return Optional.of(endpoint);
    }

    /** The loopback host sessions reach a server bound to {@code bound} at, or null when they cannot. */
    static String loopbackHost(String bound) {
        if (bound == null || bound.isBlank() || bound.equals("0.0.0.0") || bound.equals("::") || bound.equals("[::]")
                || bound.equalsIgnoreCase("localhost")) {
            return "127.0.0.1";
        }
        String literal = bound.startsWith("[") ? bound.substring(1, bound.length() - 1) : bound;
        try {
            InetAddress address = InetAddress.getByName(literal);
            if (!address.isLoopbackAddress()) {
                return null;
            }
            return literal.contains(":") ? "[" + literal + "]" : literal;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
