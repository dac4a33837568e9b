package dev.taskq.gateway.mcp;

import dev.taskq.gateway.domain.CurrentCaller;
import dev.taskq.gateway.domain.RequiresRole;
import dev.taskq.gateway.domain.Role;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.ToolCallException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** See {@link ToolErrors}; also refuses a tool whose {@link RequiresRole} (submitter by default) the caller lacks. */
// Without it, an exception would reach the client as a bare JSON-RPC internal error the model cannot act on.
@ToolErrors
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
class ToolErrorsInterceptor {

    private final Problems problems;
    private final CurrentCaller caller;

    @Inject
    ToolErrorsInterceptor(Problems problems, CurrentCaller caller) {
        this.problems = problems;
        this.caller = caller;
    }

    @AroundInvoke
    Object reportProblems(InvocationContext invocation) throws Exception {
        try {
            caller.require(Role.requiredBy(invocation.getMethod(), invocation.getMethod().getDeclaringClass(), Role.SUBMITTER));
            return invocation.proceed();
        } catch (ToolCallException | McpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ToolCallException(Problems.text(problems.of(e)), e);
        }
    }
}
