package dev.taskq.gateway.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A test-only endpoint that fails the way a bug would; hidden from the API document. */
@Path(FailingResource.PATH)
public class FailingResource {

    static final String PATH = "/api/v1/test-only/failure";
    static final String SECRET = "jdbc:postgresql://secret-host/internal";

    @GET
    @Operation(hidden = true)
    public String fail() {
        throw new IllegalStateException("connection to " + SECRET + " refused");
    }
}
