package dev.taskq.worker.session;

import dev.taskq.worker.domain.TranscriptPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** The session transcripts on this worker, under the CLI config directory its sessions get. */
final class SessionTranscripts {

    private static final Logger LOG = Logger.getLogger(SessionTranscripts.class);

    private final Path configDir;

    SessionTranscripts(Path configDir) {
        this.configDir = configDir;
    }

    Path configDir() {
        return configDir;
    }

    /** Whether a session run in {@code workingDir} left the transcript of {@code sessionId} here. */
    boolean holds(Path workingDir, UUID sessionId) {
        try {
            return Files.isRegularFile(TranscriptPath.transcript(configDir, workingDir.toRealPath().toString(), sessionId));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The per-attempt directory under {@code workRoot} in which this worker ran {@code sessionId}, if its transcript
     * is still here: a resume of a task that named no working directory must run where that task ran.
     */
    Optional<Path> workingDirHolding(Path workRoot, UUID sessionId) {
        if (!Files.isDirectory(workRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> attemptDirs = Files.list(workRoot)) {
            return attemptDirs.filter(Files::isDirectory).filter(dir -> holds(dir, sessionId)).findFirst();
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Cannot look for session %s under %s: %s", sessionId, workRoot, e.getMessage());
            return Optional.empty();
        }
    }
}
