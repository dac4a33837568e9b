package dev.taskq.notifier.channel;

import dev.taskq.notifier.config.NotifierConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import dev.taskq.common.notification.AddressRules;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs JSON with the configured timeouts, never following redirects. Error texts it produces never contain
 * the URL: Discord webhook URLs and Telegram bot URLs are secrets. Unless private addresses are allowed, the host is
 * resolved first and the request refused ({@link AddressRefusedException}) when any of its addresses is loopback,
 * link-local, private or unspecified (AddressRules): a public name may point at an internal service.
 */
@ApplicationScoped
public class HttpSender {

    /** A receiver's answer: status, body (possibly cut) and the Retry-After header if any. */
    public record Answer(int status, String body, Optional<String> retryAfter) {}

    private static final int MAX_BODY_CHARS = 4000;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final Duration requestTimeout;
    private final boolean allowPrivateAddresses;

    public HttpSender(NotifierConfig config) {
        this.requestTimeout = config.delivery().requestTimeout();
        this.allowPrivateAddresses = config.allowPrivateAddresses();
        this.client = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(config.delivery().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Throws IOException with a URL-free message when the receiver cannot be reached or does not answer in time. */
    public Answer postJson(URI uri, String body, Map<String, String> headers) throws IOException {
        if (!allowPrivateAddresses) {
            checkAddresses(uri.getHost(), InetAddress::getAllByName);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "taskq-notifier")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            // The request timeout covers the headers; this bound also covers a body that never ends.
            HttpResponse<String> response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .get(requestTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            String text = response.body() == null ? "" : response.body();
            return new Answer(response.statusCode(), text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) : text,
                    response.headers().firstValue("Retry-After"));
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new IOException("no answer within " + requestTimeout.toMillis() + " ms");
            }
            // Exception class only: some JDK messages quote the URI.
            throw new IOException("cannot reach the receiver (" + (cause == null ? e : cause).getClass().getSimpleName() + ")");
        }
    }

    /**
     * Refuses a host that is or resolves to a refused address. The HTTP client resolves the name again when it connects;
     * a DNS answer that changes between the two lookups (rebinding) is not caught here, see the README.
     */
    static void checkAddresses(String host, Resolver resolver) throws IOException {
        if (host == null) {
            throw new AddressRefusedException("refused: the URL has no host");
        }
        AddressRules.hostRefusal(host).ifPresent(reason -> {
            throw new AddressRefusedException("refused by the private-address policy: host " + host + " " + reason);
        });
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve the receiver's host " + host);
        }
        for (InetAddress address : addresses) {
            AddressRules.refusal(address).ifPresent(reason -> {
                throw new AddressRefusedException("refused by the private-address policy: host " + host + " resolves to an address that "
                        + reason + "; set taskq.notifier.allow-private-addresses only for local receivers");
            });
        }
    }

    /** Name resolution, as {@link InetAddress#getAllByName}. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A Retry-After header in seconds or as an HTTP date; empty if absent or unreadable. */
    public static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (RuntimeException unreadable) {
                return Optional.empty();
            }
        }
    }

    @PreDestroy
    void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
