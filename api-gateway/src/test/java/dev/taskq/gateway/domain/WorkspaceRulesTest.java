package dev.taskq.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WorkspaceRulesTest {

    private static final List<Path> ROOTS = WorkspaceRules.roots(List.of("/tmp", " /home/dev/ ", "", "/srv/checkouts/./"));

    @Test
    void theConfiguredRootsAreNormalisedAndMustBeAbsolute() {
        assertThat(ROOTS).containsExactly(Path.of("/tmp"), Path.of("/home/dev"), Path.of("/srv/checkouts"));
        assertThatThrownBy(() -> WorkspaceRules.roots(List.of("/tmp", "work")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("absolute")
                .hasMessageContaining("'work'");
    }

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"/tmp", "/tmp/", "/tmp/work/app", "/home/dev/src/app", "/srv/checkouts/app", "/tmp//x/./y",
            "/tmp/app..old/x"})
    void aWorkingDirUnderAnAllowedRootIsAccepted(String dir) {
        assertThat(WorkspaceRules.workingDirError(dir, ROOTS)).isEmpty();
    }

    @ParameterizedTest(name = "{0} is rejected: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            /tmp2/app                | allowed roots
            /etc                     | allowed roots
            /                        | allowed roots
            /home/devil/app          | allowed roots
            /srv                     | allowed roots
            tmp/app                  | absolute
            ./tmp                    | absolute
            ~/app                    | absolute
            /tmp/../etc              | '..' segments
            /tmp/app/..              | '..' segments
            """)
    void aWorkingDirOutsideTheRootsOrWithParentSegmentsIsRejected(String dir, String reason) {
        assertThat(WorkspaceRules.workingDirError(dir, ROOTS)).hasValueSatisfying(message -> assertThat(message).contains(reason));
    }

    @Test
    void aWorkingDirWithNulIsRejected() {
        assertThat(WorkspaceRules.workingDirError("/tmp/a\0b", ROOTS)).hasValueSatisfying(m -> assertThat(m).contains("NUL"));
    }

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"https://github.com/acme/app.git", "https://git.example.com:8443/team/app", "ssh://git@github.com/acme/app.git",
            "ssh://git.example.com:2222/srv/app.git", "git@github.com:acme/app.git", "github.com:acme/app.git", "deploy@10.0.0.5:/srv/app.git"})
    void remoteRepositoriesAreAccepted(String url) {
        assertThat(WorkspaceRules.repoUrlError(url, false)).isEmpty();
        assertThat(WorkspaceRules.repoUrlError(url, true)).isEmpty();
    }

    @ParameterizedTest(name = "{0} is rejected: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            http://github.com/acme/app.git             | https:// or ssh://
            git://github.com/acme/app.git              | https:// or ssh://
            ftp://example.com/app.git                  | https:// or ssh://
            ext::sh -c touch% /tmp/pwned               | spaces
            ext::sh                                    | scp-like
            -oProxyCommand=touch                       | must not start with '-'
            ssh://-oProxyCommand=touch/x               | host
            git@host:-oProxyCommand=x                  | scp-like
            https://user:secret@github.com/acme/app    | credentials
            https://token@github.com/acme/app          | credentials
            ssh://git:secret@github.com/acme/app       | credentials
            https://github.com                         | repository's path
            https://github.com/                        | repository's path
            https:///acme/app                          | host
            https://github.com/acme/app?x=1            | query
            app                                        | scp-like
            ../app                                     | scp-like
            ~/repos/app                                | scp-like
            " "                                        | required
            """)
    void otherRepositoryUrlsAreRejected(String url, String reason) {
        assertThat(WorkspaceRules.repoUrlError(url, false)).hasValueSatisfying(message -> assertThat(message).contains(reason));
    }

    @ParameterizedTest(name = "{0} needs allow-local-repos")
    @ValueSource(strings = {"file:///srv/repos/app.git", "/srv/repos/app.git", "file:///tmp/x"})
    void localRepositoriesNeedToBeAllowed(String url) {
        assertThat(WorkspaceRules.repoUrlError(url, false))
                .hasValueSatisfying(message -> assertThat(message).contains("taskq.api.workspaces.allow-local-repos=true"));
        assertThat(WorkspaceRules.repoUrlError(url, true)).isEmpty();
    }

    @Test
    void evenAllowedLocalRepositoriesNeedAnAbsolutePathAndNoHost() {
        assertThat(WorkspaceRules.repoUrlError("file://host/srv/app", true)).isPresent();
        assertThat(WorkspaceRules.repoUrlError("file:///", true)).isPresent();
        assertThat(WorkspaceRules.repoUrlError("/", true)).isPresent();
    }

    @Test
    void aRepositoryUrlHasALengthLimit() {
        assertThat(WorkspaceRules.repoUrlError("https://github.com/" + "a".repeat(2000), false))
                .hasValueSatisfying(message -> assertThat(message).contains("at most 2000"));
    }

    @ParameterizedTest(name = "{0} is a valid ref")
    @ValueSource(strings = {"main", "release/1.2", "v1.2.3", "refs/heads/main", "feature/JIRA-12_fix", "0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4",
            "a@b", "x.y"})
    void validGitRefsAreAccepted(String ref) {
        assertThat(WorkspaceRules.gitRefError(ref)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                   | 1 to 255
            -main                | '-'
            --upload-pack=x      | '-'
            @                    | '@'
            "my branch"          | spaces
            main~1               | ~
            main^                | ~
            a:b                  | ~
            what?                | ~
            feat*                | ~
            a[1]                 | ~
            a\\b                 | ~
            main..dev            | '..'
            HEAD@{1}             | '@{'
            /main                | '/'
            main/                | '/'
            a//b                 | '/'
            main.                | end with '.'
            .hidden              | start with '.'
            a/.b                 | start with '.'
            main.lock            | '.lock'
            a.lock/b             | '.lock'
            """)
    void invalidGitRefsAreRejected(String ref, String reason) {
        assertThat(WorkspaceRules.gitRefError(ref)).hasValueSatisfying(message -> assertThat(message).contains(reason));
    }

    @Test
    void aRefHasALengthLimitAndNoControlCharacters() {
        assertThat(WorkspaceRules.gitRefError("r".repeat(255))).isEmpty();
        assertThat(WorkspaceRules.gitRefError("r".repeat(256))).hasValueSatisfying(m -> assertThat(m).contains("1 to 255"));
        assertThat(WorkspaceRules.gitRefError("a\tb")).isPresent();
        assertThat(WorkspaceRules.gitRefError("a\u007fb")).isPresent();
    }
}
