package dev.taskq.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.cli.CliEnvironment;
import dev.taskq.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

    @TempDir
    Path home;

    private CliEnvironment environment(Map<String, String> variables) {
        return CliRun.environment(variables, home, "");
    }

    private void writeDefaultConfig(String text) throws Exception {
        Path file = home.resolve(".config/taskq/config.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void withNothingSetTheServerIsLocalAndThereIsNoToken() {
        ConnectionSettings settings = ConnectionSettings.resolve(null, null, environment(Map.of()));

        assertThat(settings.server()).hasToString("http://localhost:8080");
        assertThat(settings.token()).isNull();
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheConfigFile() throws Exception {
        writeDefaultConfig("server=http://from-file:1\ntoken=file-token\n");
        Map<String, String> variables = Map.of("TASKQ_SERVER", "http://from-env:2", "TASKQ_TOKEN", "env-token");

        assertThat(ConnectionSettings.resolve(null, null, environment(Map.of())))
                .isEqualTo(new ConnectionSettings(java.net.URI.create("http://from-file:1"), "file-token"));
        assertThat(ConnectionSettings.resolve(null, null, environment(variables)))
                .isEqualTo(new ConnectionSettings(java.net.URI.create("http://from-env:2"), "env-token"));
        assertThat(ConnectionSettings.resolve("http://from-flag:3/", "flag-token", environment(variables)))
                .isEqualTo(new ConnectionSettings(java.net.URI.create("http://from-flag:3"), "flag-token"));
    }

    @Test
    void eachSettingFallsBackOnItsOwn() throws Exception {
        writeDefaultConfig("token=file-token\n");

        ConnectionSettings settings = ConnectionSettings.resolve(null, null, environment(Map.of("TASKQ_SERVER", "https://q.example")));

        assertThat(settings).isEqualTo(new ConnectionSettings(java.net.URI.create("https://q.example"), "file-token"));
    }

    @Test
    void taskqConfigNamesAnotherFileWhichMustExist() throws Exception {
        Path file = home.resolve("elsewhere.properties");
        Files.writeString(file, "server=http://named:4\n");
        Map<String, String> variables = new HashMap<>();
        variables.put("TASKQ_CONFIG", file.toString());

        assertThat(ConnectionSettings.resolve(null, null, environment(variables)).server()).hasToString("http://named:4");

        variables.put("TASKQ_CONFIG", home.resolve("missing.properties").toString());
        assertThatThrownBy(() -> ConnectionSettings.resolve(null, null, environment(variables)))
                .isInstanceOf(ConnectionSettings.ConfigException.class)
                .hasMessageContaining("missing.properties");
    }

    @Test
    void xdgConfigHomeMovesTheDefaultFile() throws Exception {
        Path xdg = home.resolve("xdg");
        Files.createDirectories(xdg.resolve("taskq"));
        Files.writeString(xdg.resolve("taskq/config.properties"), "server=http://xdg:5\n");

        assertThat(ConnectionSettings.resolve(null, null, environment(Map.of("XDG_CONFIG_HOME", xdg.toString()))).server())
                .hasToString("http://xdg:5");
    }

    @Test
    void aServerThatIsNotAnHttpUrlIsRefused() {
        assertThatThrownBy(() -> ConnectionSettings.resolve("ftp://host", null, environment(Map.of())))
                .isInstanceOf(ConnectionSettings.ConfigException.class);
        assertThatThrownBy(() -> ConnectionSettings.resolve("no url at all", null, environment(Map.of())))
                .isInstanceOf(ConnectionSettings.ConfigException.class);
    }

    @Test
    void insideAClaudeCodeSessionTheSessionIdIsTakenFromTheEnvironment() {
        String session = "2e5d08a7-3882-41ca-a512-5ca44022c3a7";

        assertThat(ConnectionSettings.resolve(null, null, environment(Map.of("CLAUDE_CODE_SESSION_ID", session))).claudeSession())
                .isEqualTo(session);
        assertThat(ConnectionSettings.resolve(null, null, environment(Map.of())).claudeSession()).isNull();
    }

    @Test
    void theTokenNeverAppearsWhenTheSettingsArePrinted() {
        ConnectionSettings settings = new ConnectionSettings(java.net.URI.create("http://h:1"), "s3cret-token");

        assertThat(settings.toString()).doesNotContain("s3cret-token").contains("***");
    }
}
