package dev.taskq.gateway.domain;

/** No agent role has the name asked for. */
public class AgentRoleNotFoundException extends RuntimeException {

    public AgentRoleNotFoundException(String name) {
        super("No agent role is named '" + name + "'; GET /api/v1/agent-roles lists them.");
    }
}
