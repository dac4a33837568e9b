package dev.taskq.dependency.domain;

import jakarta.enterprise.context.ApplicationScoped;

/** The service's two wake-up signals: tasks became ready or capacity came free, and outbox rows wait to be published. */
@ApplicationScoped
public class Wakeups {

    private final Wakeup release = new Wakeup();
    private final Wakeup relay = new Wakeup();

    public Wakeup release() {
        return release;
    }

    public Wakeup relay() {
        return relay;
    }
}
