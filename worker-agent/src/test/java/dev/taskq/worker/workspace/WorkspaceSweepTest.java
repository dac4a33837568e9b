package dev.taskq.worker.workspace;

import static dev.taskq.worker.workspace.TestWorker.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.event.TaskDispatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleanup rule: retention after the last use, never in use, the worker's own names only, clones last. */
class WorkspaceSweepTest {

    @TempDir
    Path temp;

    private Upstream upstream;
    private TestWorker worker;
    private Workspaces workspaces;

    @BeforeEach
    void worker() {
        upstream = Upstream.withOneCommit(temp.resolve("upstream"));
        worker = new TestWorker(temp);
        workspaces = worker.start();
    }

    @Test
    void onlyWorkspacesUnusedForTheRetentionAreRemovedAndTheCloneForgetsThem() throws Exception {
        Path expiredCheckout = used(repo(upstream.url(), null));
        Path expiredScratch = used(TestWorker.scratch());
        worker.clock.advance(Duration.ofHours(20));
        Path recentCheckout = used(repo(upstream.url(), null));
        Path recentScratch = used(TestWorker.scratch());
        worker.clock.advance(Duration.ofHours(5));

        WorkspaceSweeper.Swept swept = workspaces.sweep();

        assertThat(swept.workspaces()).containsExactlyInAnyOrder(expiredCheckout, expiredScratch);
        assertThat(swept.mirrors()).isEmpty();
        assertThat(expiredCheckout).doesNotExist();
        assertThat(expiredScratch).doesNotExist();
        assertThat(recentCheckout.resolve("README.md")).exists();
        assertThat(recentScratch).isDirectory();
        String worktrees = Upstream.run(repositoryClone(), "worktree", "list");
        assertThat(worktrees).contains(recentCheckout.toString()).doesNotContain(expiredCheckout.toString());
    }

    @Test
    void aWorkspaceInUseStaysHoweverOldItsLastUse() throws Exception {
        try (Workspace checkout = workspaces.prepare(repo(upstream.url(), null));
                Workspace scratch = workspaces.prepare(TestWorker.scratch())) {
            worker.clock.advance(Duration.ofDays(30));

            assertThat(workspaces.sweep().workspaces()).isEmpty();
            assertThat(checkout.directory().resolve("README.md")).exists();
            assertThat(scratch.directory()).isDirectory();
        }
    }

    @Test
    void theRetentionRunsFromTheEndOfTheLastAttemptNotFromItsStart() throws Exception {
        Path directory;
        try (Workspace longRunning = workspaces.prepare(repo(upstream.url(), null))) {
            directory = longRunning.directory();
            worker.clock.advance(Duration.ofHours(30));
        }
        worker.clock.advance(Duration.ofHours(23));

        assertThat(workspaces.sweep().workspaces()).isEmpty();
        worker.clock.advance(Duration.ofHours(2));
        assertThat(workspaces.sweep().workspaces()).containsExactly(directory);
    }

    @Test
    void aRemovedCheckoutIsMadeAgainFreshWhenItsTaskRunsAgain() throws Exception {
        TaskDispatch first = repo(upstream.url(), null);
        Path directory = used(first);
        worker.clock.advance(Duration.ofHours(25));
        workspaces.sweep();

        try (Workspace again = workspaces.prepare(repo(upstream.url(), null, first.workspaceId(), 2))) {
            assertThat(again.directory()).isEqualTo(directory);
            assertThat(again.created()).isTrue();
            assertThat(directory.resolve("README.md")).exists();
        }
    }

    @Test
    void aCloneGoesOnlyOnceItHasNoCheckoutLeftAndWasUnusedForTheMirrorRetention() throws Exception {
        used(repo(upstream.url(), null));
        Path clone = repositoryClone();
        worker.clock.advance(Duration.ofDays(6));
        used(repo(upstream.url(), null));
        worker.clock.advance(Duration.ofDays(2));

        WorkspaceSweeper.Swept first = workspaces.sweep();
        assertThat(first.workspaces()).hasSize(2);
        assertThat(first.mirrors()).as("used two days ago").isEmpty();
        assertThat(clone).isDirectory();

        worker.clock.advance(Duration.ofDays(6));
        assertThat(workspaces.sweep().mirrors()).containsExactly(clone);
        assertThat(clone).doesNotExist();

        // The next task of the repository clones it again.
        assertThat(used(repo(upstream.url(), null)).resolve("README.md")).exists();
    }

    @Test
    void aCloneWithACheckoutLeftStaysHoweverOld() throws Exception {
        try (Workspace held = workspaces.prepare(repo(upstream.url(), null))) {
            worker.clock.advance(Duration.ofDays(30));

            assertThat(workspaces.sweep().mirrors()).isEmpty();
            assertThat(held.directory().resolve("README.md")).exists();
        }
    }

    @Test
    void namesTheWorkerDidNotMakeAreLeftAlone() throws Exception {
        Path notes = Files.createDirectories(worker.workRoot().resolve("notes"));
        Path odd = Files.createDirectories(worker.workRoot().resolve("tasks/not-a-uuid"));
        Path project = Files.createDirectories(temp.resolve("project"));
        used(TestWorker.workingDir(project.toString()));
        worker.clock.advance(Duration.ofDays(30));

        assertThat(workspaces.sweep().workspaces()).isEmpty();
        assertThat(notes).isDirectory();
        assertThat(odd).isDirectory();
        assertThat(project).isDirectory();
    }

    @Test
    void aResumedAttemptDirectoryIsHeldAndItsRetentionRestarts() throws Exception {
        Path ranIn = used(TestWorker.scratch());
        worker.clock.advance(Duration.ofHours(23));
        try (Workspace adopted = workspaces.adopt(ranIn)) {
            worker.clock.advance(Duration.ofHours(2));
            assertThat(workspaces.sweep().workspaces()).isEmpty();
            assertThat(adopted.created()).isFalse();
        }
        worker.clock.advance(Duration.ofHours(23));
        assertThat(workspaces.sweep().workspaces()).isEmpty();
        worker.clock.advance(Duration.ofHours(2));
        assertThat(workspaces.sweep().workspaces()).containsExactly(ranIn);
    }

    @Test
    void readOnlyDirectoriesASessionLeftAreRemovedToo() throws Exception {
        Path directory;
        try (Workspace scratch = workspaces.prepare(TestWorker.scratch())) {
            directory = scratch.directory();
            Path locked = Files.createDirectories(directory.resolve("cache/module"));
            Files.writeString(locked.resolve("file.go"), "package x\n");
            locked.toFile().setWritable(false);
            directory.resolve("cache").toFile().setWritable(false);
        }
        worker.clock.advance(Duration.ofHours(25));

        assertThat(workspaces.sweep().workspaces()).containsExactly(directory);
        assertThat(directory).doesNotExist();
    }

    private Path used(TaskDispatch dispatch) throws Exception {
        try (Workspace workspace = workspaces.prepare(dispatch)) {
            return workspace.directory();
        }
    }

    private Path repositoryClone() {
        return worker.workRoot().resolve("repos").resolve(RepositoryMirrors.mirrorName(upstream.url()) + ".git");
    }
}
