package dev.taskq.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {

    @Test
    void killingATreeLeavesNoGrandchildBehind() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & sleep 30").start();
        await().atMost(Duration.ofSeconds(5)).until(() -> shell.descendants().count() == 2);
        List<ProcessHandle> tree = shell.descendants().toList();

        ProcessTree.kill(shell, Duration.ofSeconds(5));

        assertThat(shell.isAlive()).isFalse();
        assertThat(tree).allMatch(ProcessTree::hasExited);
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        Process stubborn = new ProcessBuilder("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").start();
        await().atMost(Duration.ofSeconds(5)).until(() -> stubborn.descendants().findAny().isPresent());
        long started = System.nanoTime();

        ProcessTree.kill(stubborn, Duration.ofMillis(300));

        assertThat(stubborn.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aZombieCountsAsExitedThoughJavaStillCallsItAlive() throws Exception {
        // The exec'd sleep never waits for its child, which stays a zombie under it for as long as it lives: the state
        // of an orphan whose new parent (PID 1, or a JVM that is PID 1) has not reaped it yet.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & exec sleep 30").start();
        ProcessHandle zombie = await().atMost(Duration.ofSeconds(5))
                .until(() -> parent.descendants().findFirst().orElse(null), child -> child != null);
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessTree.hasExited(zombie));

        assertThat(zombie.isAlive()).as("what Java alone says of a zombie").isTrue();
        assertThat(ProcessTree.hasExited(parent.toHandle())).isFalse();
        ProcessTree.kill(parent, Duration.ofSeconds(5));
        assertThat(parent.isAlive()).isFalse();
    }
}
