package dev.taskq.worker.workspace;

import dev.taskq.worker.session.GitRepo;
import java.nio.file.Path;

/** A repository playing the remote that tasks name, reached through a {@code file://} URL, driven by the git CLI. */
record Upstream(Path dir) {

    /** A repository on {@code main} with one commit of {@code README.md}. */
    static Upstream withOneCommit(Path dir) {
        GitRepo.withOneCommit(dir);
        return new Upstream(dir);
    }

    String url() {
        return "file://" + dir;
    }

    /** Commits {@code content} as {@code file} on the current branch; returns the new commit. */
    String commit(String file, String content, String message) {
        new GitRepo(dir).write(file, content);
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
