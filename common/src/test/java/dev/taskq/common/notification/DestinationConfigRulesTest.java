package dev.taskq.common.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationConfigRulesTest {

    private static List<String> fields(ChannelType type, Map<String, ?> config, boolean insecure) {
        return DestinationConfigRules.validate(type, config, "config.", insecure).stream().map(ConfigProblem::field).toList();
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
        assertThat(DestinationConfigRules.validate(ChannelType.TELEGRAM, Map.of("botToken", token, "chatId", 1), "", false))
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
