package dev.taskq.worker.session;

import dev.taskq.common.domain.CommandPolicy;
import dev.taskq.common.security.TaskPolicy;
import dev.taskq.worker.workspace.Workspaces;
import dev.taskq.worker.config.WorkerIdentity;
import dev.taskq.worker.domain.CliOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What every session of this worker shares.
 *
 * @param environment the complete environment of each CLI process (never log it: it may hold secrets)
 * @param transcripts where those processes keep their transcripts (the config dir their environment gives them)
 * @param logMaxBytesPerAttempt the most output one attempt sends; later session lines are left out
 * @param checkpointInterval how often a running session's checkpoint is published; zero or negative for never
 * @param questions the AskHuman channels, and the endpoint sessions reach them at (none while AskHuman is off)
 * @param workspaces gives each attempt the directory it runs in
 * @param commandPolicy which command tasks this worker runs
 * @param commandShell the shell that runs a command task's shell string, with {@code -c}
 * @param policy what a dispatch may ask for on this worker (models, turns, budget, repository hosts)
 */
record SessionSettings(
        CliOptions cli,
        Map<String, String> environment,
        Path workRoot,
        Duration killGrace,
        int logBatchLines,
        Duration logFlushInterval,
        int toolResultMaxChars,
        int lineMaxChars,
        long logMaxBytesPerAttempt,
        WorkerIdentity identity,
        Clock clock,
        SessionTranscripts transcripts,
        CheckpointReader checkpoints,
        Duration checkpointInterval,
        SessionQuestions questions,
        Workspaces workspaces,
        CommandPolicy commandPolicy,
        String commandShell,
        TaskPolicy policy) {}
