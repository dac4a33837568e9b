package dev.taskq.notifier.testing;

import dev.taskq.testsupport.HttpReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/** Points the notifier's Telegram API base at a local port; the test starts its stand-in there ({@link #port()}). */
public class TelegramApiResource implements QuarkusTestResourceLifecycleManager {

    private static final String PORT_PROPERTY = "taskq.test.telegram-port";

    @Override
    public Map<String, String> start() {
        return Map.of("taskq.notifier.telegram-api-base", "http://127.0.0.1:" + port());
    }

    @Override
    public void stop() {}

    private static HttpReceiver standIn;

    /**
     * The Bot API stand-in on {@link #port()}, started once per JVM and shared by the test classes: it answers
     * sendMessage with {@code ok: true} unless a test scripts otherwise.
     */
    public static synchronized HttpReceiver standIn() {
        if (standIn == null) {
            standIn = HttpReceiver.start(port()).byDefault(request -> HttpReceiver.Answer.of(200, "{\"ok\":true,\"result\":{\"message_id\":1}}"));
        }
        return standIn;
    }

    /** A free port, chosen once per JVM (a system property: Quarkus may load this class more than once). */
    public static int port() {
        synchronized (System.getProperties()) {
            String port = System.getProperty(PORT_PROPERTY);
            if (port == null) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = Integer.toString(socket.getLocalPort());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                System.setProperty(PORT_PROPERTY, port);
            }
            return Integer.parseInt(port);
        }
    }
}
