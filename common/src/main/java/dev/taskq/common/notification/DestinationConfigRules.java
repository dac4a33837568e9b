package dev.taskq.common.notification;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a destination's configuration must hold, per channel, and which of its fields are secrets. Shared by
 * api-gateway (which rejects a bad configuration before writing anything) and notifier-service (which refuses
 * to send to one that slipped in by other means).
 *
 * <p>Discord: {@code webhookUrl} (secret; https on discord.com). Telegram: {@code botToken} (secret),
 * {@code chatId}, optional {@code messageThreadId} and {@code parseMode} (HTML, the default, or MarkdownV2).
 * Webhook: {@code url} (https) and {@code secret} ({@code whsec_} + base64). With {@code allowInsecureUrls}
 * (tests, local receivers) plain http and any Discord host are accepted. A URL's host must pass {@link AddressRules}
 * (no loopback, link-local or private address) unless {@code allowPrivateAddresses} (the local stack, tests).
 */
public final class DestinationConfigRules {

    public static final String DISCORD_WEBHOOK_URL = "webhookUrl";
    public static final String TELEGRAM_BOT_TOKEN = "botToken";
    public static final String TELEGRAM_CHAT_ID = "chatId";
    public static final String TELEGRAM_THREAD_ID = "messageThreadId";
    public static final String TELEGRAM_PARSE_MODE = "parseMode";
    public static final String WEBHOOK_URL = "url";
    public static final String WEBHOOK_SECRET = "secret";
    public static final String SECRET_PREFIX = "whsec_";

    private static final Set<String> DISCORD_HOSTS = Set.of("discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com");
    private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{20,100}");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,64}");
    private static final Set<String> PARSE_MODES = Set.of("HTML", "MarkdownV2");
    private static final int MAX_URL_LENGTH = 2000;

    private DestinationConfigRules() {}

    /**
     * Which URLs a deployment accepts.
     *
     * @param allowInsecureUrls plain http, and Discord URLs on any host (local receivers in tests)
     * @param allowPrivateAddresses hosts on loopback, link-local or private addresses (the local stack, tests)
     */
    public record UrlPolicy(boolean allowInsecureUrls, boolean allowPrivateAddresses) {

        /** https only, public addresses only: production. */
        public static final UrlPolicy STRICT = new UrlPolicy(false, false);
    }

    /** The fields each channel knows. */
    public static Set<String> fields(ChannelType type) {
        return switch (type) {
            case DISCORD -> Set.of(DISCORD_WEBHOOK_URL);
            case TELEGRAM -> Set.of(TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID, TELEGRAM_THREAD_ID, TELEGRAM_PARSE_MODE);
            case WEBHOOK -> Set.of(WEBHOOK_URL, WEBHOOK_SECRET);
        };
    }

    /** The fields never shown back: they grant the power to post. */
    public static Set<String> secretFields(ChannelType type) {
        return switch (type) {
            case DISCORD -> Set.of(DISCORD_WEBHOOK_URL);
            case TELEGRAM -> Set.of(TELEGRAM_BOT_TOKEN);
            case WEBHOOK -> Set.of(WEBHOOK_SECRET);
        };
    }

    /** Every problem of {@code config}, each field named {@code prefix + name}; empty when it is valid. */
    public static List<ConfigProblem> validate(ChannelType type, Map<String, ?> config, String prefix, UrlPolicy urls) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, ?> values = config == null ? Map.of() : config;
        Set<String> known = fields(type);
        for (String key : new TreeSet<>(values.keySet())) {
            if (!known.contains(key)) {
                problems.add(new ConfigProblem(prefix + key, "is not a field of a " + type.wireName()
                        + " destination; its fields are " + String.join(", ", new TreeSet<>(known))));
            }
        }
        switch (type) {
            case DISCORD -> {
                String url = requiredString(values, DISCORD_WEBHOOK_URL, prefix, problems);
                if (url != null) {
                    urlProblem(url, urls, true).ifPresent(message ->
                            problems.add(new ConfigProblem(prefix + DISCORD_WEBHOOK_URL, message)));
                }
            }
            case TELEGRAM -> {
                String token = requiredString(values, TELEGRAM_BOT_TOKEN, prefix, problems);
                if (token != null && !BOT_TOKEN.matcher(token).matches()) {
                    // Never echo the value: it is a secret.
                    problems.add(new ConfigProblem(prefix + TELEGRAM_BOT_TOKEN, "must be a bot token as BotFather gives it (<digits>:<letters, digits, _ or ->)"));
                }
                Object chatId = values.get(TELEGRAM_CHAT_ID);
                if (chatId == null) {
                    problems.add(new ConfigProblem(prefix + TELEGRAM_CHAT_ID, "is required"));
                } else if (!(chatId instanceof String || chatId instanceof Number) || !CHAT_ID.matcher(String.valueOf(chatId)).matches()) {
                    problems.add(new ConfigProblem(prefix + TELEGRAM_CHAT_ID, "must be a numeric chat id or an @channelusername"));
                }
                Object thread = values.get(TELEGRAM_THREAD_ID);
                if (thread != null && !(thread instanceof Number number && number.longValue() > 0 && number.doubleValue() == number.longValue())) {
                    problems.add(new ConfigProblem(prefix + TELEGRAM_THREAD_ID, "must be a positive whole number"));
                }
                Object mode = values.get(TELEGRAM_PARSE_MODE);
                if (mode != null && !PARSE_MODES.contains(String.valueOf(mode))) {
                    problems.add(new ConfigProblem(prefix + TELEGRAM_PARSE_MODE, "must be HTML or MarkdownV2"));
                }
            }
            case WEBHOOK -> {
                String url = requiredString(values, WEBHOOK_URL, prefix, problems);
                if (url != null) {
                    urlProblem(url, urls, false).ifPresent(message ->
                            problems.add(new ConfigProblem(prefix + WEBHOOK_URL, message)));
                }
                String secret = requiredString(values, WEBHOOK_SECRET, prefix, problems);
                if (secret != null && signingKey(secret) == null) {
                    problems.add(new ConfigProblem(prefix + WEBHOOK_SECRET,
                            "must be whsec_ followed by the base64 of 24 to 64 random bytes"));
                }
            }
        }
        return problems;
    }

    /** The HMAC key of a {@code whsec_} secret, or null if it is not one. */
    public static byte[] signingKey(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return null;
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            return key.length >= 24 && key.length <= 64 ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The configuration as it may be shown: secret fields removed, plus {@code secretConfigured} and a
     * {@code secretHint} that identifies the secret without revealing it.
     */
    public static Map<String, Object> publicView(ChannelType type, Map<String, ?> config) {
        Map<String, Object> view = new LinkedHashMap<>();
        Set<String> secrets = secretFields(type);
        for (Map.Entry<String, ?> entry : config.entrySet()) {
            if (!secrets.contains(entry.getKey())) {
                view.put(entry.getKey(), entry.getValue());
            }
        }
        if (type == ChannelType.WEBHOOK && config.get(WEBHOOK_URL) instanceof String url) {
            // The host says where events go; a path or query may carry a token, so it is hidden.
            view.put(WEBHOOK_URL, maskedUrl(url));
        }
        String secret = secrets.stream().map(config::get).filter(String.class::isInstance).map(String.class::cast).findFirst().orElse(null);
        view.put("secretConfigured", secret != null);
        if (secret != null) {
            view.put("secretHint", hint(type, secret));
        }
        return view;
    }

    static String hint(ChannelType type, String secret) {
        return switch (type) {
            case DISCORD -> maskedUrl(secret);
            case TELEGRAM -> secret.contains(":") ? secret.substring(0, secret.indexOf(':')) + ":****" : "****";
            case WEBHOOK -> SECRET_PREFIX + "****";
        };
    }

    static String maskedUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/****";
        } catch (URISyntaxException | RuntimeException e) {
            return "****";
        }
    }

    private static String requiredString(Map<String, ?> values, String field, String prefix, List<ConfigProblem> problems) {
        Object value = values.get(field);
        if (value == null || (value instanceof String text && text.isBlank())) {
            problems.add(new ConfigProblem(prefix + field, "is required"));
            return null;
        }
        if (!(value instanceof String text)) {
            problems.add(new ConfigProblem(prefix + field, "must be a string"));
            return null;
        }
        return text;
    }

    private static java.util.Optional<String> urlProblem(String raw, UrlPolicy policy, boolean discord) {
        if (raw.length() > MAX_URL_LENGTH) {
            return java.util.Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
        }
        if (AddressRules.hasControlCharacters(raw)) {
            return java.util.Optional.of("must not contain spaces, CR, LF or other control characters");
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return java.util.Optional.of("must be an absolute URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return java.util.Optional.of("must be an absolute https:// URL");
        }
        if (uri.getUserInfo() != null) {
            return java.util.Optional.of("must not contain a user name or password");
        }
        if (!policy.allowPrivateAddresses()) {
            java.util.Optional<String> refusal = AddressRules.hostRefusal(uri.getHost());
            if (refusal.isPresent()) {
                return java.util.Optional.of("must not point at a loopback, link-local or private address: its host "
                        + refusal.get() + " (allowed only with allow-private-addresses, for local receivers)");
            }
        }
        if (policy.allowInsecureUrls()) {
            return java.util.Optional.empty();
        }
        if (!scheme.equals("https")) {
            return java.util.Optional.of("must use https (plain http is accepted only with allow-insecure-urls, for local tests)");
        }
        if (discord && (!DISCORD_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT))
                || uri.getPath() == null || !uri.getPath().startsWith("/api/webhooks/"))) {
            return java.util.Optional.of("must be a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>)");
        }
        return java.util.Optional.empty();
    }
}
