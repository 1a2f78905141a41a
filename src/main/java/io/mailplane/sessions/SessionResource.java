package io.mailplane.sessions;

import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.security.Sessions;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.directory.TenantContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX "close user sessions": all sessions of a context, or of one user in it. An admin feature on
 * top of {@code security}'s sessions (which it audits), so it lives above them.
 */
@Path("/oxaas/v1/admin/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.RESELLER_ADMIN)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Admin")
public class SessionResource {
    private final Sessions sessions;
    private final SessionAdminService admin;
    private final Caller caller;

    public SessionResource(Sessions sessions, SessionAdminService admin, Caller caller) {
        this.sessions = sessions;
        this.admin = admin;
        this.caller = caller;
    }

    public record Closed(List<Sessions.ClosedSession> closed) {
    }

    @DELETE
    @Operation(operationId = "closeSessions", summary = "Close user sessions", description = "Close all sessions within a single context, or of one user of it (by userId, userName or userMail). The tokens are refused at once on every replica.")
    public Closed close(@QueryParam("contextId") @Parameter(description = "context id", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) String contextId,
                        @QueryParam("contextName") @Parameter(description = "context name") String contextName,
                        @QueryParam("userId") @Parameter(description = "user id", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1")) String userId,
                        @QueryParam("userName") @Parameter(description = "user name (uidname)") String userName,
                        @QueryParam("userMail") @Parameter(description = "primary mail address of the user") String userMail) {
        if ((contextId == null) == (contextName == null)) {
            throw ApiException.invalid("contextId", "name the context by exactly one of contextId and contextName");
        }
        if (Stream.of(userId, userName, userMail).filter(v -> v != null).count() > 1) {
            throw ApiException.invalid("userId", "name the user by at most one of userId, userName and userMail");
        }
        String ref = contextId != null ? Long.toString(Ids.positiveLong("contextId", contextId)) : contextName;
        TenantContext context = caller.visibleContext(ref);
        Long userPk = null;
        if (userId != null || userName != null || userMail != null) {
            userPk = sessions.userOf(context, userId == null ? null : Ids.positiveInt("userId", userId), userName, userMail)
                    .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "No such user in context " + context.id + "."));
        }
        return new Closed(admin.close(context, userPk));
    }
}
