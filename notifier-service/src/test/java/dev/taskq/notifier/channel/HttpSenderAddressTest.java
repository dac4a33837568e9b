package dev.taskq.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.notifier.config.NotifierConfig;
import dev.taskq.testsupport.HttpReceiver;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSenderAddressTest {

    /** A resolver that answers as a DNS server would for these names, and knows no other. */
    private static HttpSender.Resolver dns(Map<String, String> answers) {
        return host -> {
            String address = answers.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName("8.8.4.4"), InetAddress.getByName(address)};
        };
    }

    @Test
    void aPublicNameThatResolvesToAPrivateAddressIsRefusedNamingTheHostAndTheAddress() {
        assertThatThrownBy(() -> HttpSender.checkAddresses("hooks.example.com", dns(Map.of("hooks.example.com", "10.0.0.7"))))
                .isInstanceOf(AddressRefusedException.class)
                .hasMessageContaining("hooks.example.com")
                .hasMessageContaining("private address (10.0.0.7)")
                .hasMessageContaining("allow-private-addresses");
        assertThatThrownBy(() -> HttpSender.checkAddresses("meta.example.com", dns(Map.of("meta.example.com", "169.254.169.254"))))
                .isInstanceOf(AddressRefusedException.class).hasMessageContaining("link-local");
        assertThatThrownBy(() -> HttpSender.checkAddresses("v6.example.com", dns(Map.of("v6.example.com", "::1"))))
                .isInstanceOf(AddressRefusedException.class).hasMessageContaining("loopback");
    }

    @Test
    void aNameWhoseEveryAddressIsPublicIsSent() {
        assertThatCode(() -> HttpSender.checkAddresses("hooks.example.com", dns(Map.of("hooks.example.com", "93.184.215.14"))))
                .doesNotThrowAnyException();
    }

    @Test
    void localhostAndLoopbackLiteralsAreRefusedWithoutAsking() {
        HttpSender.Resolver none = host -> {
            throw new AssertionError("no lookup expected for " + host);
        };
        assertThatThrownBy(() -> HttpSender.checkAddresses("localhost", none)).isInstanceOf(AddressRefusedException.class);
        assertThatThrownBy(() -> HttpSender.checkAddresses("127.0.0.1", dns(Map.of("127.0.0.1", "127.0.0.1"))))
                .isInstanceOf(AddressRefusedException.class);
        assertThatThrownBy(() -> HttpSender.checkAddresses("[::1]", dns(Map.of("::1", "::1")))).isInstanceOf(AddressRefusedException.class);
    }

    @Test
    void withPrivateAddressesRefusedNothingReachesAReceiverOnThisMachine() throws Exception {
        try (HttpReceiver receiver = HttpReceiver.start()) {
            HttpSender sender = new HttpSender(config(false));
            URI local = URI.create(receiver.url("/hook"));
            assertThatThrownBy(() -> sender.postJson(local, "{}", Map.of())).isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("127.0.0.1");
            assertThat(receiver.requests()).isEmpty();
            assertThat(new HttpSender(config(true)).postJson(local, "{}", Map.of()).status()).isEqualTo(204);
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    /** The settings HttpSender reads, with private addresses allowed or not. */
    private static NotifierConfig config(boolean allowPrivateAddresses) {
        NotifierConfig.Delivery delivery = (NotifierConfig.Delivery) Proxy.newProxyInstance(HttpSenderAddressTest.class.getClassLoader(),
                new Class<?>[] {NotifierConfig.Delivery.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "connectTimeout", "requestTimeout" -> Duration.ofSeconds(5);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (NotifierConfig) Proxy.newProxyInstance(HttpSenderAddressTest.class.getClassLoader(), new Class<?>[] {NotifierConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "delivery" -> delivery;
                    case "allowPrivateAddresses" -> allowPrivateAddresses;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void anUnknownNameIsATransientFailureNotARefusal() {
        assertThatThrownBy(() -> HttpSender.checkAddresses("nowhere.example.com", dns(Map.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot resolve");
        assertThat(new AddressRefusedException("x")).isNotInstanceOf(IllegalArgumentException.class);
    }
}
