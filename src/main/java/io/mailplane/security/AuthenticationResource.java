package io.mailplane.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailplane.common.constraints.Login;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * ONLYOFFICE-style sign-in: a user's own login and password give a session token, sent back
 * as {@code Authorization: <token>} or {@code Authorization: Bearer <token>}.
 */
@Path("/api/2.0/authentication")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "User sessions")
public class AuthenticationResource {
    private final Sessions sessions;

    public AuthenticationResource(Sessions sessions) {
        this.sessions = sessions;
    }

    public record Credentials(@NotNull @Login String userName, @NotNull @Size(min = 1, max = 1024) String password) {
    }

    public record Token(String token, Instant expires) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Envelope(int count, int status, int statusCode, Token response) {
    }

    @POST
    @Operation(summary = "Open a user session", description = "Records the user's last login. The session ends when it expires, when an admin closes it, or when the user is deleted.")
    public Response authenticate(@Valid @NotNull Credentials body) {
        Sessions.Opened opened = sessions.open(body.userName(), body.password());
        return Response.status(201).entity(new Envelope(1, 0, 201, new Token(opened.token(), opened.expires()))).build();
    }
}
