package dev.taskq.worker.workspace;

import static dev.taskq.worker.workspace.TestWorker.workingDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.common.event.TaskDispatch;
import dev.taskq.worker.workspace.WorkspaceException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedWorkingDirectoryTest {

    @TempDir
    Path temp;

    private Path root;
    private Workspaces workspaces;

    @BeforeEach
    void workerWithOneAllowedRoot() throws Exception {
        root = Files.createDirectories(temp.resolve("projects"));
        TestWorker worker = new TestWorker(temp);
        worker.allowedRoots = List.of(root);
        workspaces = worker.start();
    }

    @Test
    void aDirectoryInsideARootIsUsedAsItIs() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo/module"));

        try (Workspace workspace = workspaces.prepare(workingDir(project.toString()))) {
            assertThat(workspace.directory()).isEqualTo(project);
            assertThat(workspace.kind()).isEqualTo(Workspace.Kind.NAMED);
            assertThat(workspace.created()).isFalse();
        }
    }

    @Test
    void aDirectoryOutsideEveryRootIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));

        assertRefused(workingDir(elsewhere.toString()), Reason.REJECTED, "is outside the allowed roots");
    }

    @Test
    void aSiblingWhoseNameStartsLikeARootIsOutsideIt() throws Exception {
        Path sibling = Files.createDirectories(temp.resolve("projects-evil"));

        assertRefused(workingDir(sibling.toString()), Reason.REJECTED, "is outside the allowed roots");
    }

    @Test
    void dotDotIsRefusedEvenWhenThePathWouldStayInsideTheRoot() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));

        assertRefused(workingDir(root + "/a/../b"), Reason.REJECTED, "must not contain . or .. components");
        assertRefused(workingDir(root + "/a/../../elsewhere"), Reason.REJECTED, "must not contain . or .. components");
        assertRefused(workingDir(root + "/./a"), Reason.REJECTED, "must not contain . or .. components");
    }

    @Test
    void aRelativePathIsRefused() {
        assertRefused(workingDir("projects/demo"), Reason.REJECTED, "is not an absolute path");
    }

    @Test
    void aSymbolicLinkInsideARootThatLeadsOutOfItIsRefused() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("secrets"));
        Path link = Files.createSymbolicLink(root.resolve("innocent"), outside);

        assertRefused(workingDir(link.toString()), Reason.REJECTED, "resolves to " + outside.toRealPath());
        assertRefused(workingDir(link.resolve("new").toString()), Reason.REJECTED, "outside the allowed roots");
        assertThat(outside.resolve("new")).doesNotExist();
    }

    @Test
    void aMissingDirectoryWhoseParentIsInsideARootIsCreated() throws Exception {
        Path fresh = root.resolve("new-project");

        try (Workspace workspace = workspaces.prepare(workingDir(fresh.toString()))) {
            assertThat(workspace.directory()).isEqualTo(fresh).isDirectory();
            assertThat(workspace.created()).isTrue();
        }
    }

    @Test
    void aMissingDirectoryWhoseParentIsMissingTooIsReportedNotBuilt() {
        Path deep = root.resolve("typo/new-project");

        assertRefused(workingDir(deep.toString()), Reason.MISSING,
                "working directory " + deep + " does not exist on host host-1");
        assertThat(root.resolve("typo")).doesNotExist();
    }

    @Test
    void withoutRootsAnyExistingAbsoluteDirectoryIsAcceptedButNoneIsCreated() throws Exception {
        Workspaces open = new TestWorker(temp).start();
        Path anywhere = Files.createDirectories(temp.resolve("anywhere"));

        try (Workspace workspace = open.prepare(workingDir(anywhere.toString()))) {
            assertThat(workspace.directory()).isEqualTo(anywhere);
        }
        assertThatThrownBy(() -> open.prepare(workingDir(anywhere.resolve("missing").toString())))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING));
        assertThatThrownBy(() -> open.prepare(workingDir(anywhere + "/../anywhere")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REJECTED));
    }

    @Test
    void theWorkersOwnCheckoutsAndClonesAreNoTasksWorkingDirectory() throws Exception {
        TestWorker worker = new TestWorker(temp);
        Workspaces open = worker.start();
        Path someonesCheckout = Files.createDirectories(worker.workRoot().resolve("tasks").resolve(UUID.randomUUID().toString()));
        Path clones = Files.createDirectories(worker.workRoot().resolve("repos"));

        assertThatThrownBy(() -> open.prepare(workingDir(someonesCheckout.toString())))
                .hasMessageContaining("is inside the worker's own");
        assertThatThrownBy(() -> open.prepare(workingDir(clones.toString())))
                .hasMessageContaining("is inside the worker's own");
    }

    @Test
    void aTaskNamingADirectoryAndARepositoryIsRefused() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        UUID taskId = UUID.randomUUID();
        TaskDispatch both = TestWorker.dispatch(taskId, 1, project.toString(), "file:///tmp/repo", null, taskId, null);

        assertRefused(both, Reason.REJECTED, "not both");
    }

    @Test
    void aRootThatIsNotAbsoluteIsAConfigurationError() {
        assertThatThrownBy(() -> AllowedRoots.parse(List.of("/srv/ok", "relative/dir")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative/dir");
        assertThatThrownBy(() -> AllowedRoots.parse(List.of("/srv/../etc")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AllowedRoots.parse(List.of(" /srv/a ", ""))).containsExactly(Path.of("/srv/a"));
    }

    private void assertRefused(TaskDispatch dispatch, Reason reason, String message) {
        assertThatThrownBy(() -> workspaces.prepare(dispatch))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
