package dev.taskq.store.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;

/** An edge of the task graph: {@code taskId} runs only after {@code dependsOn} succeeded. */
@Entity
@Table(name = "task_dependencies")
public class TaskDependencyEntity {

    @EmbeddedId
    public Edge edge;

    public TaskDependencyEntity() {}

    public TaskDependencyEntity(UUID taskId, UUID dependsOn) {
        this.edge = new Edge(taskId, dependsOn);
    }

    /** The composite key of an edge. */
    @Embeddable
    public record Edge(@Column(name = "task_id") UUID taskId, @Column(name = "depends_on") UUID dependsOn)
            implements Serializable {}
}
