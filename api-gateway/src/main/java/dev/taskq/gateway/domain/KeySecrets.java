package dev.taskq.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Makes API key secrets ({@code tq_} and 40 base62 characters) and hashes them under the server's pepper. */
public final class KeySecrets {

    /** Every key secret starts with this, so scanners and the Redactor can recognise a leaked one. */
    public static final String PREFIX = "tq_";
    /** How many characters of a secret (prefix included) are kept to tell keys apart in lists. */
    public static final int DISPLAY_CHARS = PREFIX.length() + 8;

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // 40 characters of base62 is about 238 random bits.
    private static final int RANDOM_CHARS = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] pepper;

    public KeySecrets(String pepper) {
        this.pepper = (pepper == null ? "" : pepper).getBytes(StandardCharsets.UTF_8);
    }

    /** A new secret: shown to its creator once, never stored. */
    public String generate() {
        StringBuilder secret = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            secret.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return secret.toString();
    }

    /** HMAC-SHA256 of the secret under the pepper: what api_keys stores and authentication looks up. */
    public byte[] hash(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // HMAC accepts an empty key in principle; the JCE does not, so an absent pepper is a single zero byte.
            mac.init(new SecretKeySpec(pepper.length == 0 ? new byte[1] : pepper, "HmacSHA256"));
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** The part of a secret lists show. */
    public static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(DISPLAY_CHARS, secret.length()));
    }
}
