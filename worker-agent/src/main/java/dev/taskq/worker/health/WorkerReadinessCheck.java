package dev.taskq.worker.health;

import dev.taskq.worker.WorkerLifecycle;
import dev.taskq.worker.messaging.CommandListener;
import dev.taskq.worker.messaging.DirectDispatchListener;
import dev.taskq.worker.messaging.DispatchIntake;
import dev.taskq.worker.session.SessionSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the intake loop runs, dispatches sent to this worker and cancels can be heard, and the worker is not
 * shutting down.
 */
@Readiness
@ApplicationScoped
public class WorkerReadinessCheck implements HealthCheck {

    private final DispatchIntake intake;
    private final CommandListener commands;
    private final DirectDispatchListener direct;
    private final WorkerLifecycle lifecycle;
    private final SessionSupervisor supervisor;

    public WorkerReadinessCheck(DispatchIntake intake, CommandListener commands, DirectDispatchListener direct,
            WorkerLifecycle lifecycle, SessionSupervisor supervisor) {
        this.intake = intake;
        this.commands = commands;
        this.direct = direct;
        this.lifecycle = lifecycle;
        this.supervisor = supervisor;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = intake.isRunning() && commands.isListening() && direct.isListening() && !lifecycle.isShuttingDown();
        return HealthCheckResponse.named("worker")
                .status(ready)
                .withData("intake", intake.isRunning())
                .withData("commands", commands.isListening())
                .withData("direct", direct.isListening())
                .withData("shuttingDown", lifecycle.isShuttingDown())
                .withData("slots", supervisor.slots())
                .withData("busySlots", supervisor.busySlots())
                .withData("heldDispatches", supervisor.heldAttempts().size())
                .build();
    }
}
