package dev.taskq.common.notification;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which network addresses taskq may send notifications to: never this host, its link, or a private network, so a
 * destination cannot be aimed at internal services (server-side request forgery). api-gateway applies it to the host
 * written in a URL when a destination or notify entry is created; notifier-service applies it again to every address
 * the host resolves to just before each send, since a name may resolve anywhere. Refused: loopback (127.0.0.0/8, ::1),
 * link-local (169.254.0.0/16, fe80::/10), private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, and the
 * deprecated fec0::/10), unspecified (0.0.0.0/8, ::), carrier-grade NAT (100.64.0.0/10) and multicast.
 */
public final class AddressRules {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    // Hosts resolvers read as numbers in odd forms ("2130706433", "0x7f.1", "0177.0.0.1"): refused outright.
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]*))*\\.?");

    private AddressRules() {}

    /** Why {@code address} may not be sent to, or empty when it is a public address. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        String kind = null;
        if (address.isLoopbackAddress()) {
            kind = "a loopback address";
        } else if (address.isAnyLocalAddress() || (bytes.length == 4 && bytes[0] == 0)) {
            kind = "an unspecified address";
        } else if (address.isLinkLocalAddress()) {
            kind = "a link-local address";
        } else if (address.isSiteLocalAddress() || (bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc)) {
            kind = "a private address";
        } else if (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
            kind = "a carrier-grade NAT address";
        } else if (address.isMulticastAddress()) {
            kind = "a multicast address";
        }
        return Optional.ofNullable(kind).map(what -> "is " + what + " (" + address.getHostAddress() + ")");
    }

    /**
     * Why a URL's host as written may not be sent to, without resolving names (a name is checked at send time): an IP
     * literal in a refused range, a localhost name, or a number in an odd form. Empty when nothing is wrong yet.
     */
    public static Optional<String> hostRefusal(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            return literal(name.substring(1, name.length() - 1));
        }
        if (DOTTED_QUAD.matcher(name).matches()) {
            return literal(name);
        }
        if (NUMERIC_LOOKING.matcher(name).matches()) {
            return Optional.of("is a number in an unusual form; write an IPv4 address as four decimal parts, or use a host name");
        }
        String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (bare.equals("localhost") || bare.endsWith(".localhost") || bare.equals("localhost.localdomain")) {
            return Optional.of("names this host (localhost)");
        }
        return Optional.empty();
    }

    /** Whether the text holds a character that could end an HTTP header line or hide in one (CR, LF, other controls). */
    public static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> literal(String address) {
        try {
            // A literal: no name lookup happens.
            return refusal(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return Optional.of("is not a valid IP address");
        }
    }
}
