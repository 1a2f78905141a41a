package io.mailplane.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.WellFormed;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * ONLYOFFICE-style sign-in: a user's own login and password give a session token, sent back
 * as {@code Authorization: <token>} or {@code Authorization: Bearer <token>}.
 */
@Path("/api/2.0/authentication")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "User sessions")
public class AuthenticationResource {
    private final Sessions sessions;
    private final Caller caller;

    public AuthenticationResource(Sessions sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    public record Credentials(@NotNull @Login String userName, @NotNull @Size(min = 1, max = 1024) @WellFormed String password,
                              @Pattern(regexp = Mfa.CODE_PATTERN, message = "must be the 6 digits of the current one-time code")
                              @Schema(description = "The current one-time code (TOTP, 6 digits) of the user's authenticator app; "
                                      + "required when the user is enrolled in MFA, ignored otherwise", example = "492039")
                              String totp) {
    }

    @Schema(name = "SessionToken")
    public record Token(String token, Instant expires) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "SessionEnvelope", description = "ONLYOFFICE envelope of the session token")
    public record Envelope(int count, int status, int statusCode, Token response) {
    }

    @POST
    @PermitAll
    @SecurityRequirements
    @APIResponse(responseCode = "201", description = "Signed in; the session token", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Envelope.class)))
    @Operation(operationId = "signIn", summary = "Open a user session", description = "Records the user's last login. The session ends when it expires, when an admin closes it, or when the user is deleted. "
            + "A user enrolled in MFA also sends totp, a current one-time code it has not used before: once the password verified, "
            + "a missing code is 401 ONE_TIME_CODE_REQUIRED and a wrong, expired or used one 401 ONE_TIME_CODE_INVALID "
            + "(a failed login, throttled like a wrong password). Such a user signs in only here: its password alone opens nothing else.")
    public Response authenticate(@Valid @NotNull Credentials body, @Context HttpServerRequest http) {
        Account user = sessions.user(body.userName(), body.password(), body.totp(), LoginThrottle.addressOf(http.remoteAddress()));
        Sessions.Opened opened = sessions.open(user);
        return Response.status(201).entity(new Envelope(1, 0, 201, new Token(opened.token(), opened.expires()))).build();
    }

    @POST
    @Path("logout")
    @Access(Scheme.USER)
    @SecurityRequirement(name = "basicAuth")
    @APIResponse(responseCode = "204", description = "Signed out")
    @Operation(operationId = "signOut", summary = "End the calling session", description = "The token stops working at once, on every replica. With Basic credentials there is no session to end.")
    public Response logout() {
        Long session = caller.account().sessionId();
        if (session != null) {
            sessions.revoke(session);
        }
        return Response.noContent().build();
    }
}
