package dev.taskq.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Installs the fake {@code claude} (a POSIX sh script speaking the real CLI's flags and stream-json).
 *
 * <p>Knobs in the prompt: {@code [fake:sleep=N]}, {@code [fake:fail]}, {@code [fake:lines=N]}; env
 * {@code FAKE_CLAUDE_LOG} names a file that gets each invocation's arguments.
 */
public final class FakeClaude {

    private static final String RESOURCE = "/fake-claude/claude";

    private FakeClaude() {
    }

    /** Copies the script to {@code dir/claude}, makes it executable and returns its path. */
    public static Path install(Path dir) {
        Path target = dir.resolve("claude");
        try (InputStream script = FakeClaude.class.getResourceAsStream(RESOURCE)) {
            if (script == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            Files.createDirectories(dir);
            Files.copy(script, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install the fake claude in " + dir, e);
        }
    }
}
