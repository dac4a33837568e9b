package dev.taskq.worker.workspace;

import static dev.taskq.worker.workspace.TestWorker.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskq.common.event.TaskDispatch;
import dev.taskq.worker.workspace.WorkspaceException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-task checkouts of a repository, against a real git and a local repository standing in for the remote. */
class RepositoryWorkspacesTest {

    @TempDir
    Path temp;

    private Upstream upstream;
    private TestWorker worker;

    @BeforeEach
    void upstreamWithOneCommit() {
        upstream = Upstream.withOneCommit(temp.resolve("upstream"));
        worker = new TestWorker(temp);
    }

    @Test
    void twoTasksOfOneRepositoryGetTwoCheckoutsOfOneClone() throws Exception {
        Workspaces workspaces = worker.start();
        TaskDispatch first = repo(upstream.url(), null);
        TaskDispatch second = repo(upstream.url(), null);

        try (Workspace a = workspaces.prepare(first); Workspace b = workspaces.prepare(second)) {
            assertThat(a.directory()).isEqualTo(worker.workRoot().resolve("tasks").resolve(first.taskId().toString()));
            assertThat(b.directory()).isEqualTo(worker.workRoot().resolve("tasks").resolve(second.taskId().toString()));
            assertThat(List.of(a, b)).allSatisfy(workspace -> {
                assertThat(workspace.kind()).isEqualTo(Workspace.Kind.CHECKOUT);
                assertThat(workspace.created()).isTrue();
                assertThat(workspace.directory().resolve("README.md")).hasContent("hello");
                assertThat(Upstream.run(workspace.directory(), "rev-parse", "HEAD")).isEqualTo(upstream.head());
            });
            Files.writeString(a.directory().resolve("README.md"), "changed by task a\n");
            assertThat(b.directory().resolve("README.md")).hasContent("hello");
            assertThat(clones()).singleElement().satisfies(clone -> assertThat(
                    Upstream.run(clone, "worktree", "list")).contains(a.directory().toString(), b.directory().toString()));
        }
    }

    @Test
    void concurrentDispatchesOfOneRepositoryCloneItOnce() throws Exception {
        // Each fetch (the clone's first one included) takes a second, so the others arrive while it runs.
        worker.countingGit("1");
        worker.fetchInterval = Duration.ofHours(1);
        Workspaces workspaces = worker.start();
        int dispatches = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(dispatches);
        List<Future<Workspace>> results = new ArrayList<>();
        try {
            for (int i = 0; i < dispatches; i++) {
                TaskDispatch dispatch = repo(upstream.url(), "main");
                Callable<Workspace> prepare = () -> {
                    go.await();
                    return workspaces.prepare(dispatch);
                };
                results.add(threads.submit(prepare));
            }
            go.countDown();
            List<Path> directories = new ArrayList<>();
            for (Future<Workspace> result : results) {
                directories.add(result.get(60, TimeUnit.SECONDS).directory());
            }

            assertThat(directories).doesNotHaveDuplicates().allSatisfy(dir -> assertThat(dir.resolve("README.md")).exists());
            assertThat(worker.gitCallsContaining("init --bare")).hasSize(1);
            assertThat(worker.gitCallsContaining("fetch --prune")).hasSize(1);
            assertThat(worker.gitCallsContaining("worktree add")).hasSize(dispatches);
            assertThat(clones()).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aBranchATagAndACommitAreEachCheckedOut() throws Exception {
        String first = upstream.head();
        upstream.git("tag", "v1");
        upstream.git("switch", "-q", "-c", "feature");
        String onFeature = upstream.commit("feature.txt", "f\n", "feature work");
        upstream.git("switch", "-q", "main");
        String onMain = upstream.commit("main.txt", "m\n", "main work");
        Workspaces workspaces = worker.start();

        assertThat(headOf(workspaces, "feature")).isEqualTo(onFeature);
        assertThat(headOf(workspaces, "refs/heads/feature")).isEqualTo(onFeature);
        assertThat(headOf(workspaces, "v1")).isEqualTo(first);
        assertThat(headOf(workspaces, "refs/tags/v1")).isEqualTo(first);
        assertThat(headOf(workspaces, onFeature)).isEqualTo(onFeature);
        assertThat(headOf(workspaces, onFeature.substring(0, 12))).isEqualTo(onFeature);
        assertThat(headOf(workspaces, null)).isEqualTo(onMain);
    }

    @Test
    void noRefChecksOutTheRepositorysDefaultBranchWhateverItsName() throws Exception {
        upstream.git("switch", "-q", "-c", "trunk");
        String onTrunk = upstream.commit("trunk.txt", "t\n", "trunk work");
        Workspaces workspaces = worker.start();

        assertThat(headOf(workspaces, null)).isEqualTo(onTrunk);
    }

    @Test
    void anUnknownRefFailsWithoutLeavingACheckout() throws Exception {
        Workspaces workspaces = worker.start();
        TaskDispatch dispatch = repo(upstream.url(), "no-such-branch");

        assertThatThrownBy(() -> workspaces.prepare(dispatch))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REF_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo(
                            "ref no-such-branch is no branch, tag or commit of " + upstream.url());
                });
        assertThat(worker.workRoot().resolve("tasks").resolve(dispatch.taskId().toString())).doesNotExist();
    }

    @Test
    void refsThatAreRevisionExpressionsOrOptionsAreRefused() throws Exception {
        Workspaces workspaces = worker.start();

        for (String ref : List.of("main~1", "--upload-pack=touch /tmp/x", "main..feature", "HEAD@{1}", "a b", "x:y")) {
            assertThatThrownBy(() -> workspaces.prepare(repo(upstream.url(), ref)))
                    .as(ref)
                    .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REJECTED));
        }
        assertThat(worker.workRoot().resolve("repos")).doesNotExist();
    }

    @Test
    void urlsThatRunAHelperOrLookLikeOptionsAreRefused() throws Exception {
        Workspaces workspaces = worker.start();

        assertThatThrownBy(() -> workspaces.prepare(repo("ext::touch%S/tmp/pwned", null)))
                .hasMessageContaining("remote helper");
        assertThatThrownBy(() -> workspaces.prepare(repo("--upload-pack=evil", null)))
                .hasMessageContaining("is not a valid URL");
    }

    @Test
    void withAllowedRootsALocalRepositoryMustLieInsideOneToo() throws Exception {
        Path projects = Files.createDirectories(temp.resolve("projects"));
        Upstream inside = Upstream.withOneCommit(projects.resolve("shared"));
        worker.allowedRoots = List.of(projects);
        Workspaces workspaces = worker.start();

        for (String url : List.of(upstream.url(), upstream.dir().toString(), "upstream", "file://" + projects + "/../upstream")) {
            assertThatThrownBy(() -> workspaces.prepare(repo(url, null)))
                    .as(url)
                    .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.REJECTED);
                        assertThat(e.getMessage()).contains("is a local path outside the allowed roots");
                    });
        }
        try (Workspace workspace = workspaces.prepare(repo(inside.url(), null))) {
            assertThat(workspace.directory().resolve("README.md")).exists();
        }
    }

    @Test
    void anExistingCheckoutIsReusedAsItIsByALaterAttemptOfTheSameWorkspace() throws Exception {
        Workspaces workspaces = worker.start();
        TaskDispatch first = repo(upstream.url(), "main");
        Path directory;
        try (Workspace workspace = workspaces.prepare(first)) {
            directory = workspace.directory();
            Files.writeString(directory.resolve("progress.txt"), "half done\n");
        }
        upstream.commit("later.txt", "l\n", "later");

        try (Workspace again = workspaces.prepare(repo(upstream.url(), "main", first.workspaceId(), 2))) {
            assertThat(again.directory()).isEqualTo(directory);
            assertThat(again.created()).isFalse();
            assertThat(directory.resolve("progress.txt")).hasContent("half done");
            assertThat(directory.resolve("later.txt")).doesNotExist();
        }
    }

    @Test
    void aCheckoutInUseIsNotGivenToASecondAttempt() throws Exception {
        Workspaces workspaces = worker.start();
        TaskDispatch first = repo(upstream.url(), null);

        try (Workspace ignored = workspaces.prepare(first)) {
            assertThatThrownBy(() -> workspaces.prepare(repo(upstream.url(), null, first.workspaceId(), 2)))
                    .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.IN_USE));
        }
        try (Workspace afterwards = workspaces.prepare(repo(upstream.url(), null, first.workspaceId(), 3))) {
            assertThat(afterwards.created()).isFalse();
        }
    }

    @Test
    void aResumeRunsInItsCheckoutAndFailsWhenThisWorkerHasNone() throws Exception {
        worker.countingGit("0");
        Workspaces workspaces = worker.start();
        UUID missing = UUID.randomUUID();

        assertThatThrownBy(() -> workspaces.prepare(TestWorker.resumeOf(upstream.url(), missing)))
                .isInstanceOfSatisfying(WorkspaceException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ON_THIS_WORKER));
        assertThat(worker.gitCallsContaining("init")).isEmpty();

        TaskDispatch parent = repo(upstream.url(), null);
        Path directory;
        try (Workspace workspace = workspaces.prepare(parent)) {
            directory = workspace.directory();
        }
        try (Workspace resumed = workspaces.prepare(TestWorker.resumeOf(upstream.url(), parent.workspaceId()))) {
            assertThat(resumed.directory()).isEqualTo(directory);
        }
    }

    @Test
    void aFetchBringsANewCommitOnceTheFetchIntervalHasPassed() throws Exception {
        worker.fetchInterval = Duration.ofMinutes(5);
        Workspaces workspaces = worker.start();
        String first = headOf(workspaces, "main");
        String second = upstream.commit("next.txt", "n\n", "next");

        assertThat(headOf(workspaces, "main")).as("within the interval the clone is not fetched").isEqualTo(first);
        worker.clock.advance(Duration.ofMinutes(6));
        assertThat(headOf(workspaces, "main")).isEqualTo(second);
    }

    @Test
    void aBranchPushedSinceTheLastFetchIsFoundWithoutWaitingForTheInterval() throws Exception {
        worker.fetchInterval = Duration.ofHours(1);
        Workspaces workspaces = worker.start();
        headOf(workspaces, "main");
        upstream.git("switch", "-q", "-c", "just-pushed");
        String pushed = upstream.commit("new.txt", "n\n", "new branch");

        assertThat(headOf(workspaces, "just-pushed")).isEqualTo(pushed);
    }

    @Test
    void aCommitAlreadyInTheCloneNeedsNoFetch() throws Exception {
        worker.countingGit("0");
        worker.fetchInterval = Duration.ZERO;
        Workspaces workspaces = worker.start();
        String commit = headOf(workspaces, "main");

        headOf(workspaces, commit);

        assertThat(worker.gitCallsContaining("fetch --prune")).hasSize(1);
    }

    @Test
    void aFailedCloneSaysWhyWithoutTheCredentialsInItsUrl() throws Exception {
        Workspaces workspaces = worker.start();
        // Nothing listens on port 1: git fails at once, and its own message names the URL too.
        String url = "http://alice:s3cret-token@127.0.0.1:1/org/repo.git";

        assertThatThrownBy(() -> workspaces.prepare(repo(url, null)))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.GIT_FAILED);
                    assertThat(e.getMessage())
                            .startsWith("clone of http://***@127.0.0.1:1/org/repo.git failed (git exit 128): ")
                            .doesNotContain("s3cret-token")
                            .doesNotContain("alice");
                });
        assertThat(clones()).isEmpty();
        try (Stream<Path> left = Files.list(worker.workRoot().resolve("repos"))) {
            assertThat(left).allSatisfy(path -> assertThat(path.toString()).endsWith(".lock"));
        }
    }

    @Test
    void aGitCommandThatHangsIsKilledAtTheTimeout() throws Exception {
        worker.countingGit("30");
        worker.gitTimeout = Duration.ofSeconds(1);
        Workspaces workspaces = worker.start();

        assertThatThrownBy(() -> workspaces.prepare(repo(upstream.url(), null)))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.GIT_FAILED);
                    assertThat(e.getMessage()).startsWith("git fetch --prune origin took longer than PT1S");
                });
        assertThat(clones()).isEmpty();
    }

    private String headOf(Workspaces workspaces, String ref) throws Exception {
        try (Workspace workspace = workspaces.prepare(repo(upstream.url(), ref))) {
            return Upstream.run(workspace.directory(), "rev-parse", "HEAD");
        }
    }

    private List<Path> clones() throws Exception {
        Path repos = worker.workRoot().resolve("repos");
        if (!Files.isDirectory(repos)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(repos)) {
            return entries.filter(path -> path.getFileName().toString().endsWith(".git")).toList();
        }
    }
}
