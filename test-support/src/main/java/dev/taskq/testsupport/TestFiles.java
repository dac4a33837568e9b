package dev.taskq.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers for fixtures that clean up after themselves. */
final class TestFiles {

    private TestFiles() {
    }

    /** Deletes a directory tree, ignoring what cannot be deleted: only called while the JVM exits. */
    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temp dir left behind is harmless.
        }
    }
}
