package dev.taskq.store.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A question a task's session asked a human (at most one per attempt), and the answer once given. */
@Entity
@Table(name = "task_questions")
public class TaskQuestionEntity {

    /** The attempt whose session asked: (task id, attempt). */
    @EmbeddedId
    public TaskAttemptEntity.Key key;

    @Column(nullable = false)
    public String question;

    @Column(name = "asked_at", nullable = false)
    public Instant askedAt;

    /** Null until answered. */
    public String answer;

    @Column(name = "answered_at")
    public Instant answeredAt;
}
