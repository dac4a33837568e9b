package dev.taskq.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The expected names were produced by running claude 2.1.197 in these directories. */
class TranscriptPathTest {

    @Test
    void everyCharacterThatIsNotAnAsciiLetterOrDigitBecomesADash() {
        assertThat(TranscriptPath.projectDirName("/workspace/demo/work")).isEqualTo("-workspace-demo-work");
        assertThat(TranscriptPath.projectDirName("/tmp/resume-exp/ws_a.b c-d/é+x")).isEqualTo("-tmp-resume-exp-ws-a-b-c-d---x");
    }

    @Test
    void aLongDirectoryNameIsCutAndSuffixedWithAHashOfTheFullPath() {
        String path = "/tmp/resume-exp/" + "x".repeat(120) + "/" + "y".repeat(120);

        String name = TranscriptPath.projectDirName(path);

        assertThat(name).isEqualTo(("-tmp-resume-exp-" + "x".repeat(120) + "-" + "y".repeat(120)).substring(0, 200) + "-4zjxl0");
    }

    @Test
    void theTranscriptIsTheSessionIdUnderTheProjectDirectory() {
        UUID session = UUID.fromString("11111111-1111-4111-8111-111111111111");

        assertThat(TranscriptPath.transcript(Path.of("/home/w/.claude"), "/workspace/demo/work", session)).isEqualTo(
                Path.of("/home/w/.claude/projects/-workspace-demo-work/11111111-1111-4111-8111-111111111111.jsonl"));
    }

    @Test
    void theConfigDirIsClaudeConfigDirElseTheChildsHomeElseTheUsersHome() {
        assertThat(TranscriptPath.configDir(Map.of("HOME", "/home/w", "CLAUDE_CONFIG_DIR", "/etc/claude"), "/root"))
                .isEqualTo(Path.of("/etc/claude"));
        assertThat(TranscriptPath.configDir(Map.of("HOME", "/home/w", "CLAUDE_CONFIG_DIR", " "), "/root"))
                .isEqualTo(Path.of("/home/w/.claude"));
        assertThat(TranscriptPath.configDir(Map.of(), "/root")).isEqualTo(Path.of("/root/.claude"));
    }
}
