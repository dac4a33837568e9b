package dev.taskq.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Anthropic API key        | key=sk-ant-api03-AbC_dEf-1234567890xyz end | key=sk-ant-[REDACTED] end",
            "GitHub classic token     | token ghp_0123456789abcdefABCDEF0123456789abcd | token ghp_[REDACTED]",
            "GitHub OAuth token       | gho_0123456789abcdefABCDEF012345 | gho_[REDACTED]",
            "GitHub fine-grained PAT  | github_pat_11ABCDEFG0123456789_abcdefghijklmnop | github_pat_[REDACTED]",
            "Slack bot token          | xoxb-1234567890-0987654321-AbCdEfGh | xoxb-[REDACTED]",
            "Slack user token         | SLACK=xoxp-1234567890-abcdefgh | SLACK=xoxp-[REDACTED]",
            "Bearer header            | Authorization: Bearer eyJhbGciOi.payload.sig | Authorization: Bearer [REDACTED]",
            "bearer in lower case     | authorization: bearer abcdefgh12345678 | authorization: bearer [REDACTED]",
            "webhook signing secret   | secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | secret whsec_[REDACTED]",
            "taskq API key            | TASKQ_API_KEY=tq_0123456789abcdefghijABCDEFGHIJ0123456789 | TASKQ_API_KEY=tq_[REDACTED]",
            "AWS access key id        | aws_access_key_id = AKIAIOSFODNN7EXAMPLE | aws_access_key_id = AKIA[REDACTED]",
            "AWS temporary key id     | ASIAY34FZKBOKMUTVV7A, | ASIA[REDACTED],",
            "bearer taskq key         | Bearer tq_0123456789abcdefghijABCDEFGHIJ0123456789 | Bearer tq_[REDACTED]",
            "two secrets in one line  | ghp_0123456789abcdefABCD and sk-ant-0123456789abc | ghp_[REDACTED] and sk-ant-[REDACTED]"})
    void masksEachKnownFormatAndKeepsItsPrefix(String format, String text, String redacted) {
        assertThat(Redactor.redact(text)).isEqualTo(redacted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain prose              | the task-ask prompt mentions sk and ghp only",
            "too short to be a key    | ghp_short and xoxb-1 and tq_abc",
            "inside a longer word     | mask-ant-0123456789abc and xghp_0123456789abcdefABCD",
            "the word bearer          | the bearer of bad news",
            "a task id                | task 0b6c7f3e-2f4e-4a47-9d1c-52a6f1e0a8b9 ran",
            "AWS-like but too long    | AKIAIOSFODNN7EXAMPLEXX"})
    void leavesOtherTextAlone(String description, String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    @Test
    void nullAndEmptyPassThrough() {
        assertThat(Redactor.redact(null)).isNull();
        assertThat(Redactor.redact("")).isEmpty();
    }
}
