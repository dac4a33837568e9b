package dev.taskq.cli.command;

import picocli.CommandLine.Option;

/** Whether to stay until the task just created ended (or asks a question): polling it, following its log, or both. */
final class WaitOptions {

    @Option(names = "--wait",
            description = "Block until the task ended, showing its status changes on standard error, then print it."
                    + " Exits 1 unless it SUCCEEDED; stops with exit code 6 when it waits for an answer to a question.")
    boolean await;

    @Option(names = "--follow",
            description = "Stream the task's log live until it ended (status changes on standard error)."
                    + " Exits 1 unless it SUCCEEDED; stops with exit code 6 when it waits for an answer to a question.")
    boolean follow;

    boolean waits() {
        return await || follow;
    }
}
