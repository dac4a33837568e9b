package dev.taskq.worker.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway git repository for checkpoint and workspace tests, driven through the git CLI. */
public record GitRepo(Path dir) {

    /** A repository on branch {@code main} with one committed file, {@code README.md}. */
    public static GitRepo withOneCommit(Path dir) {
        GitRepo repo = unborn(dir);
        repo.write("README.md", "hello\n");
        repo.git("add", "README.md");
        repo.git("commit", "-q", "-m", "first");
        return repo;
    }

    /** A repository on branch {@code main} without any commit yet. */
    static GitRepo unborn(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    public void write(String file, String content) {
        try {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String git(String... args) {
        return run(dir, args);
    }

    /** Runs git in {@code directory} with a fixed identity; fails the test when git fails. */
    public static String run(Path directory, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=taskq", "-c", "user.email=taskq@example.invalid"));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv).directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
