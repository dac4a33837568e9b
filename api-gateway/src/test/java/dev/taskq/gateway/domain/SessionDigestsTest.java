package dev.taskq.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.common.domain.TaskStatus;
import dev.taskq.store.persistence.TaskEntity;
import dev.taskq.store.persistence.TaskQuestionEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One line per task of the session hooks' summaries: what a Claude session reads about a task it delegated. */
class SessionDigestsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final UUID ID = UUID.fromString("0b6c7f3e-2f4e-4a47-9d1c-52a6f1e0a8b9");

    @Test
    void anUnfinishedTaskSaysHowLongItHasExistedAndItsPromptOnOneLine() {
        TaskEntity task = task(TaskStatus.RUNNING, "Run the\n  slow   suite");
        task.createdAt = NOW.minus(Duration.ofMinutes(12));

        assertThat(SessionDigests.line(task, null, NOW)).isEqualTo(ID + " RUNNING for 12m: \"Run the slow suite\"");
    }

    @Test
    void aWaitingTaskCarriesItsQuestion() {
        TaskEntity task = task(TaskStatus.WAITING_FOR_INPUT, "Migrate");
        task.createdAt = NOW.minus(Duration.ofHours(3));
        TaskQuestionEntity question = new TaskQuestionEntity();
        question.question = "Staging or production?";

        assertThat(SessionDigests.line(task, question, NOW))
                .isEqualTo(ID + " WAITING_FOR_INPUT for 3h: \"Migrate\" asks: \"Staging or production?\"");
    }

    @Test
    void anEndedTaskSaysHowLongAgoWithItsResultHeadOrWhyItEnded() {
        TaskEntity succeeded = task(TaskStatus.SUCCEEDED, "Write the changelog");
        succeeded.finishedAt = NOW.minus(Duration.ofSeconds(45));
        succeeded.resultText = "Done: " + "x".repeat(300);
        TaskEntity failed = task(TaskStatus.FAILED, "Upgrade");
        failed.finishedAt = NOW.minus(Duration.ofDays(2));
        failed.statusReason = "exit code 3";

        assertThat(SessionDigests.line(succeeded, null, NOW))
                .startsWith(ID + " SUCCEEDED 45s ago: \"Write the changelog\" result: \"Done: xxx")
                .endsWith("x…\"")
                .hasSize((ID + " SUCCEEDED 45s ago: \"Write the changelog\" result: \"").length() + SessionDigests.DETAIL_CHARS + 2);
        assertThat(SessionDigests.line(failed, null, NOW)).isEqualTo(ID + " FAILED 2d ago: \"Upgrade\" (exit code 3)");
    }

    @Test
    void aLongPromptIsCutToItsHead() {
        TaskEntity task = task(TaskStatus.QUEUED, "y".repeat(500));
        task.createdAt = NOW;

        assertThat(SessionDigests.line(task, null, NOW))
                .isEqualTo(ID + " QUEUED for 0s: \"" + "y".repeat(SessionDigests.PROMPT_CHARS) + "…\"");
    }

    private static TaskEntity task(TaskStatus status, String prompt) {
        TaskEntity task = new TaskEntity();
        task.id = ID;
        task.status = status;
        task.prompt = prompt;
        task.createdAt = NOW;
        task.updatedAt = NOW;
        return task;
    }
}
