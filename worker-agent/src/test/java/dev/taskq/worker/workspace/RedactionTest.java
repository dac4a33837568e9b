package dev.taskq.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void aUserAndPasswordInAUrlAreHidden() {
        assertThat(Redaction.redact("clone of https://alice:s3cret@git.example.com/org/repo.git failed"))
                .isEqualTo("clone of https://***@git.example.com/org/repo.git failed");
    }

    @Test
    void aTokenAloneIsHiddenToo() {
        assertThat(Redaction.redact("fatal: unable to access 'https://ghp_abc123@github.com/o/r/': 403"))
                .isEqualTo("fatal: unable to access 'https://***@github.com/o/r/': 403");
    }

    @Test
    void everyUrlInTheTextIsRedacted() {
        assertThat(Redaction.redact("from http://a:b@h1/x to ssh://git:pw@h2:22/y"))
                .isEqualTo("from http://***@h1/x to ssh://***@h2:22/y");
    }

    @Test
    void urlsWithoutCredentialsAndAtSignsInPathsAreLeftAlone() {
        assertThat(Redaction.redact("https://git.example.com/org/repo@v1 and git@github.com:org/repo.git"))
                .isEqualTo("https://git.example.com/org/repo@v1 and git@github.com:org/repo.git");
        assertThat(Redaction.redact(null)).isNull();
    }
}
