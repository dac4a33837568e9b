package dev.taskq.gateway.domain;

/** An agent role cannot be deleted while unfinished tasks name it: they take its settings when they are released. */
public class AgentRoleInUseException extends RuntimeException {

    public AgentRoleInUseException(String name, long tasks) {
        super(tasks + " unfinished task(s) name agent role '" + name + "' and take its settings when released; delete it "
                + "once they have ended (or cancel them), or change the role with PUT instead.");
    }
}
