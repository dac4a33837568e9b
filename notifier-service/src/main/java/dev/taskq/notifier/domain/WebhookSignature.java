package dev.taskq.notifier.domain;

import dev.taskq.common.notification.DestinationConfigRules;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Standard Webhooks signing: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} keyed with the decoded {@code whsec_} secret. */
public final class WebhookSignature {

    private WebhookSignature() {}

    public static String sign(String secret, String messageId, long timestampSeconds, String body) {
        byte[] key = DestinationConfigRules.signingKey(secret);
        if (key == null) {
            // Standard Webhooks allows shorter keys than we accept when creating one: decode whatever is there.
            key = Base64.getDecoder().decode(secret.startsWith(DestinationConfigRules.SECRET_PREFIX)
                    ? secret.substring(DestinationConfigRules.SECRET_PREFIX.length()) : secret);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
