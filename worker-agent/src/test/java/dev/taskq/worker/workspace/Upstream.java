package dev.taskq.worker.workspace;

import dev.taskq.worker.session.GitRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        return GitRepo.run(directory, args);
    }
}
