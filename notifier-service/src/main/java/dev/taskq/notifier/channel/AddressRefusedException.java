package dev.taskq.notifier.channel;

/**
 * A receiver's host is, or resolves to, an address the SSRF policy refuses (AddressRules); the message names the host and
 * the address, never the URL's path (it may carry a token).
 */
public class AddressRefusedException extends RuntimeException {

    public AddressRefusedException(String message) {
        super(message, null, false, false);
    }
}
