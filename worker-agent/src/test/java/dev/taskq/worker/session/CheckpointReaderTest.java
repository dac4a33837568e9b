package dev.taskq.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.event.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointReaderTest {

    @TempDir
    Path temp;

    private final CheckpointReader reader =
            new CheckpointReader("git", Map.of("PATH", System.getenv("PATH")), Duration.ofSeconds(5));

    @Test
    void aCheckoutWithChangesGivesItsBranchCommitAndDirtyFiles() {
        GitRepo repo = GitRepo.withOneCommit(temp.resolve("repo"));
        repo.write("README.md", "changed\n");
        repo.write("src/New File.java", "class A {}\n");
        String head = repo.git("rev-parse", "HEAD");

        Checkpoint checkpoint = reader.read(repo.dir());

        assertThat(checkpoint).isEqualTo(Checkpoint.ofGit(repo.dir().toString(), "main", head,
                List.of("README.md", "src/"), false));
    }

    @Test
    void aRenamedFileIsListedOnceUnderItsNewName() {
        GitRepo repo = GitRepo.withOneCommit(temp.resolve("repo"));
        repo.git("mv", "README.md", "GUIDE.md");

        assertThat(reader.read(repo.dir()).dirtyFiles()).containsExactly("GUIDE.md");
    }

    @Test
    void aSubdirectoryOfACheckoutHasTheCheckoutsState() throws Exception {
        GitRepo repo = GitRepo.withOneCommit(temp.resolve("repo"));
        Path sub = Files.createDirectories(repo.dir().resolve("module"));

        Checkpoint checkpoint = reader.read(sub);

        assertThat(checkpoint.workingDir()).isEqualTo(sub.toString());
        assertThat(checkpoint.gitBranch()).isEqualTo("main");
        assertThat(checkpoint.dirtyFiles()).isEmpty();
    }

    @Test
    void moreThanFiftyDirtyFilesAreCutToFiftyAndSaySo() {
        GitRepo repo = GitRepo.withOneCommit(temp.resolve("repo"));
        IntStream.range(0, 60).forEach(i -> repo.write("file-%02d.txt".formatted(i), "x"));

        Checkpoint checkpoint = reader.read(repo.dir());

        assertThat(checkpoint.dirtyFiles()).hasSize(CheckpointReader.MAX_DIRTY_FILES).first().isEqualTo("file-00.txt");
        assertThat(checkpoint.dirtyFilesTruncated()).isTrue();
    }

    @Test
    void aRepositoryWithoutCommitsHasNoBranchOrCommitButItsDirtyFiles() {
        GitRepo repo = GitRepo.unborn(temp.resolve("repo"));
        repo.write("draft.txt", "x");

        Checkpoint checkpoint = reader.read(repo.dir());

        assertThat(checkpoint.gitCommit()).isNull();
        assertThat(checkpoint.dirtyFiles()).containsExactly("draft.txt");
    }

    @Test
    void aDirectoryOutsideAnyCheckoutHasNoCheckpoint() throws Exception {
        assertThat(reader.read(Files.createDirectories(temp.resolve("plain")))).isNull();
    }

    @Test
    void whenGitCannotRunThereIsNoCheckpoint() {
        GitRepo repo = GitRepo.withOneCommit(temp.resolve("repo"));
        CheckpointReader noGit = new CheckpointReader(temp.resolve("no-git").toString(), Map.of(), Duration.ofSeconds(5));

        assertThat(noGit.read(repo.dir())).isNull();
    }

    @Test
    void porcelainEntriesAreSplitOnNulAndRenameSourcesSkipped() {
        byte[] status = "R  new name.txt\0old name.txt\0 M a.txt\0?? b/\0".getBytes(StandardCharsets.UTF_8);

        assertThat(CheckpointReader.dirtyFiles(status, 2))
                .isEqualTo(new CheckpointReader.DirtyFiles(List.of("new name.txt", "a.txt"), true));
    }
}
