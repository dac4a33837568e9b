package dev.taskq.gateway.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST application; it exists to carry the OpenAPI document's description and security scheme. */
@OpenAPIDefinition(
        info = @Info(title = "taskq API", version = "1",
                description = "Submit prompts to run as background Claude Code sessions, follow their logs, cancel them."),
        security = @SecurityRequirement(name = GatewayApplication.SECURITY_SCHEME))
@SecurityScheme(securitySchemeName = GatewayApplication.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "One of the tokens configured in TASKQ_API_TOKENS.")
public class GatewayApplication extends Application {

    static final String SECURITY_SCHEME = "bearer";
}
