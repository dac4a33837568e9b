package dev.taskq.gateway.mcp;

import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.ToolCallException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** See {@link ToolErrors}. */
// Without it, an exception would reach the client as a bare JSON-RPC internal error the model cannot act on.
@ToolErrors
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
class ToolErrorsInterceptor {

    private final Problems problems;

    @Inject
    ToolErrorsInterceptor(Problems problems) {
        this.problems = problems;
    }

    @AroundInvoke
    Object reportProblems(InvocationContext invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (ToolCallException | McpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ToolCallException(Problems.text(problems.of(e)), e);
        }
    }
}
