package dev.taskq.common.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRulesTest {

    @Test
    void everyLoopbackLinkLocalPrivateUnspecifiedAndMulticastAddressIsRefused() throws UnknownHostException {
        for (String address : List.of("127.0.0.1", "127.255.0.1", "::1", "169.254.169.254", "fe80::abcd", "10.0.0.1", "172.16.5.4",
                "172.31.0.1", "192.168.0.10", "fc00::1", "fdff::1", "0.0.0.0", "0.1.2.3", "::", "100.64.0.1", "100.127.255.254",
                "224.0.0.1", "ff02::1", "::ffff:192.168.0.1")) {
            assertThat(AddressRules.refusal(InetAddress.getByName(address))).as(address).isPresent();
        }
    }

    @Test
    void publicAddressesAreAllowed() throws UnknownHostException {
        for (String address : List.of("8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1", "2606:4700::1111", "fbff::1")) {
            assertThat(AddressRules.refusal(InetAddress.getByName(address))).as(address).isEmpty();
        }
    }

    @Test
    void aHostNameIsLeftToTheSendTimeCheckButLocalhostNamesAreRefusedAtOnce() {
        assertThat(AddressRules.hostRefusal("hooks.example.com")).isEmpty();
        assertThat(AddressRules.hostRefusal("LOCALHOST")).isPresent();
        assertThat(AddressRules.hostRefusal("db.localhost")).isPresent();
        assertThat(AddressRules.hostRefusal("[::1]")).isPresent();
        assertThat(AddressRules.hostRefusal("1.1.1.1")).isEmpty();
    }

    @Test
    void crLfAndOtherControlCharactersAreFound() {
        assertThat(AddressRules.hasControlCharacters("https://example.com/a\r\nX: 1")).isTrue();
        assertThat(AddressRules.hasControlCharacters("https://example.com/a\tb")).isTrue();
        assertThat(AddressRules.hasControlCharacters("https://example.com/a%0d%0a")).isFalse();
    }
}
