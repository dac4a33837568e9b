package dev.taskq.worker.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A repository playing the remote that tasks name, reached through a {@code file://} URL, driven by the git CLI. */
record Upstream(Path dir) {

    /** A repository on {@code main} with one commit of {@code README.md}. */
    static Upstream withOneCommit(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Upstream upstream = new Upstream(dir);
        upstream.git("init", "-q", "-b", "main");
        upstream.commit("README.md", "hello\n", "first");
        return upstream;
    }

    String url() {
        return "file://" + dir;
    }

    /** Commits {@code content} as {@code file} on the current branch; returns the new commit. */
    String commit(String file, String content, String message) {
        try {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git("add", file);
        git("commit", "-q", "-m", message);
        return head();
    }

    String head() {
        return git("rev-parse", "HEAD");
    }

    String git(String... args) {
        return run(dir, args);
    }

    /** Runs git in {@code directory} with a fixed identity; fails the test when git fails. */
    static String run(Path directory, String... args) {
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
