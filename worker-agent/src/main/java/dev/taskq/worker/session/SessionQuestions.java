package dev.taskq.worker.session;

import dev.taskq.common.event.AttemptRef;
import dev.taskq.worker.domain.SessionMcpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The AskHuman channels of the attempts running here, one per attempt and found by its bearer token: the worker's MCP
 * endpoint records a session's question on its channel, and the session reports it when it ends. A token is random
 * and lives only while its attempt's process runs, so it names exactly one attempt.
 */
@ApplicationScoped
public class SessionQuestions {

    /** The longest question a session may ask. */
    public static final int MAX_QUESTION_CHARS = 4000;
    private static final int TOKEN_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Channel> byToken = new ConcurrentHashMap<>();
    private volatile Supplier<Optional<SessionMcpConfig>> endpoint = Optional::empty;

    /** Sessions started from now on are offered AskHuman wherever {@code endpoint} says, when it says. */
    public void serveAt(Supplier<Optional<SessionMcpConfig>> endpoint) {
        this.endpoint = endpoint;
    }

    /** Where sessions reach the tool; empty while AskHuman is off or the HTTP server does not listen yet. */
    public Optional<SessionMcpConfig> endpoint() {
        return endpoint.get();
    }

    /** A fresh channel for an attempt about to start. */
    public Channel open(AttemptRef attempt) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        Channel channel = new Channel(attempt, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        byToken.put(channel.token(), channel);
        return channel;
    }

    /** The channel of a running attempt holding {@code token}; empty for any other token. */
    public Optional<Channel> find(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(byToken.get(token));
    }

    /** The attempt's process ended: its token opens nothing any more. */
    public void close(Channel channel) {
        byToken.remove(channel.token(), channel);
    }

    /** What one attempt asked, at most once. */
    public static final class Channel {

        private final AttemptRef attempt;
        private final String token;
        private String question;

        Channel(AttemptRef attempt, String token) {
            this.attempt = attempt;
            this.token = token;
        }

        public AttemptRef attempt() {
            return attempt;
        }

        /** The bearer token (never log it). */
        public String token() {
            return token;
        }

        /**
         * Records the attempt's question unless it asked one already.
         *
         * @return the question already pending, or empty when this one was recorded
         */
        public synchronized Optional<String> ask(String text) {
            if (question != null) {
                return Optional.of(question);
            }
            question = text;
            return Optional.empty();
        }

        /** The question the attempt asked, or null. */
        public synchronized String question() {
            return question;
        }
    }
}
