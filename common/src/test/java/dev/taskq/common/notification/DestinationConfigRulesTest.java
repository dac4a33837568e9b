package dev.taskq.common.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationConfigRulesTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static List<String> fields(ChannelType type, Map<String, ?> config, boolean insecure) {
        return DestinationConfigRules.validate(type, config, "config.", new DestinationConfigRules.UrlPolicy(insecure, insecure))
                .stream().map(ConfigProblem::field).toList();
    }

    @Test
    void aDiscordWebhookOnDiscordComOverHttpsIsValid() {
        assertThat(fields(ChannelType.DISCORD, Map.of("webhookUrl", "https://discord.com/api/webhooks/1/abc"), false)).isEmpty();
    }

    @Test
    void aDiscordUrlOffDiscordOrOverHttpIsRejectedUnlessInsecureUrlsAreAllowed() {
        assertThat(fields(ChannelType.DISCORD, Map.of("webhookUrl", "https://evil.example/api/webhooks/1/abc"), false)).containsExactly("config.webhookUrl");
        assertThat(fields(ChannelType.DISCORD, Map.of("webhookUrl", "http://discord.com/api/webhooks/1/abc"), false)).containsExactly("config.webhookUrl");
        assertThat(fields(ChannelType.DISCORD, Map.of("webhookUrl", "http://127.0.0.1:9/api/webhooks/1/abc"), true)).isEmpty();
    }

    @Test
    void aUrlWithAnotherSchemeIsRejectedEvenWhenInsecureUrlsAreAllowed() {
        assertThat(fields(ChannelType.WEBHOOK, Map.of("url", "file:///etc/passwd", "secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), true))
                .containsExactly("config.url");
    }

    @Test
    void aWebhookOnALoopbackLinkLocalPrivateOrUnspecifiedAddressIsRefusedUnlessPrivateAddressesAreAllowed() {
        DestinationConfigRules.UrlPolicy httpButPublic = new DestinationConfigRules.UrlPolicy(true, false);
        for (String url : List.of("https://127.0.0.1/h", "https://127.8.9.10:8443/h", "https://localhost/h", "https://api.localhost./h",
                "https://[::1]/h", "https://169.254.169.254/latest/meta-data", "https://[fe80::1]/h", "https://10.1.2.3/h",
                "https://172.16.0.1/h", "https://172.31.255.255/h", "https://192.168.1.1/h", "https://[fc00::1]/h",
                "https://[fd12:3456::1]/h", "https://0.0.0.0/h", "https://[::]/h", "https://[::ffff:10.0.0.1]/h",
                "https://100.64.0.1/h", "https://2130706433/h", "https://0x7f.0.0.1/h", "https://0177.0.0.1/h")) {
            List<ConfigProblem> problems = DestinationConfigRules.validate(ChannelType.WEBHOOK, Map.of("url", url, "secret", SECRET),
                    "config.", httpButPublic);
            assertThat(problems).as(url).extracting(ConfigProblem::field).containsExactly("config.url");
        }
        assertThat(DestinationConfigRules.validate(ChannelType.WEBHOOK, Map.of("url", "https://169.254.169.254/x", "secret", SECRET),
                "config.", httpButPublic).getFirst().message()).contains("link-local", "169.254.169.254");
        assertThat(DestinationConfigRules.validate(ChannelType.WEBHOOK, Map.of("url", "https://10.0.0.1/h", "secret", SECRET),
                "config.", new DestinationConfigRules.UrlPolicy(false, true))).isEmpty();
        for (String url : List.of("https://172.32.0.1/h", "https://8.8.8.8/h", "https://hooks.example.com/h", "https://[2001:db8::1]/h")) {
            assertThat(DestinationConfigRules.validate(ChannelType.WEBHOOK, Map.of("url", url, "secret", SECRET), "config.",
                    DestinationConfigRules.UrlPolicy.STRICT)).as(url).isEmpty();
        }
    }

    @Test
    void aUrlWithCrLfOrOtherControlCharactersIsRefusedWhateverThePolicy() {
        for (String url : List.of("https://example.com/h\r\nX-Injected: 1", "https://example.com/h\n", "https://exa mple.com/h",
                "https://example.com/h\u0000")) {
            assertThat(fields(ChannelType.WEBHOOK, Map.of("url", url, "secret", SECRET), true)).as(url).containsExactly("config.url");
        }
        assertThat(fields(ChannelType.DISCORD, Map.of("webhookUrl", "https://discord.com/api/webhooks/1/a\r\nHost: x"), false))
                .containsExactly("config.webhookUrl");
    }

    @Test
    void aWebhookSecretMustBeWhsecBase64OfAtLeast24Bytes() {
        assertThat(fields(ChannelType.WEBHOOK, Map.of("url", "https://example.com/h", "secret", "plain"), false)).containsExactly("config.secret");
        assertThat(fields(ChannelType.WEBHOOK, Map.of("url", "https://example.com/h", "secret", "whsec_c2hvcnQ="), false)).containsExactly("config.secret");
    }

    @Test
    void telegramNeedsATokenAndAChatAndAKnownParseMode() {
        assertThat(fields(ChannelType.TELEGRAM, Map.of("parseMode", "Markdown", "messageThreadId", -1), false))
                .containsExactlyInAnyOrder("config.botToken", "config.chatId", "config.parseMode", "config.messageThreadId");
        assertThat(fields(ChannelType.TELEGRAM, Map.of("botToken", "123:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "chatId", "@my_channel"), false)).isEmpty();
    }

    @Test
    void unknownFieldsAreNamed() {
        assertThat(fields(ChannelType.DISCORD, Map.of("webhookUrl", "https://discord.com/api/webhooks/1/abc", "token", "x"), false))
                .containsExactly("config.token");
    }

    @Test
    void theProblemMessagesNeverQuoteASecret() {
        String token = "123:short";
        assertThat(DestinationConfigRules.validate(ChannelType.TELEGRAM, Map.of("botToken", token, "chatId", 1), "", DestinationConfigRules.UrlPolicy.STRICT))
                .allSatisfy(problem -> assertThat(problem.message()).doesNotContain(token));
    }

    @Test
    void thePublicViewHidesSecretsAndSaysOneIsConfigured() {
        Map<String, Object> view = DestinationConfigRules.publicView(ChannelType.TELEGRAM,
                Map.of("botToken", "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "chatId", "42"));
        assertThat(view).containsEntry("chatId", "42").containsEntry("secretConfigured", true).containsEntry("secretHint", "123456:****");
        assertThat(view.toString()).doesNotContain("AAAAAAAA");
        Map<String, Object> discord = DestinationConfigRules.publicView(ChannelType.DISCORD, Map.of("webhookUrl", "https://discord.com/api/webhooks/1/tok"));
        assertThat(discord.toString()).doesNotContain("tok").contains("https://discord.com/****");
    }
}
