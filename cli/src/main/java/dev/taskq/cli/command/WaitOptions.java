package dev.taskq.cli.command;

import picocli.CommandLine.Option;

/** Whether to stay until the task just created ended: polling it, following its log, or both. */
final class WaitOptions {

    @Option(names = "--wait",
            description = "Block until the task ended, showing its status changes on standard error, then print it."
                    + " Exits 1 unless it SUCCEEDED.")
    boolean await;

    @Option(names = "--follow",
            description = "Stream the task's log live until it ended (status changes on standard error)."
                    + " Exits 1 unless it SUCCEEDED.")
    boolean follow;

    boolean waits() {
        return await || follow;
    }
}
