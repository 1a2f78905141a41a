package io.mailplane.notify;

import io.mailplane.notify.NotificationDtos.Mail;
import io.mailplane.notify.NotificationDtos.OverQuota;
import io.mailplane.notify.NotificationService.Request;
import io.mailplane.security.Access;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX Cloud-Plugins notifications: a mail to one user, rendered from the brand's template and
 * queued in the outbox. The path's {@code {user}} is OX's {@code usercontext}, {@code userid@contextid}
 * (also {@code userid@contextname}); it is resolved by {@link NotificationService}, not as a context
 * of the path, so it is not named "context" here.
 */
@Path("/oxaas/v1/admin/notification")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.TENANT_OR_RESELLER)
@SecurityRequirement(name = "tennantAuth")
@Tag(name = "Notification")
public class NotificationResource {
    private static final String WHO = " Callers: the tenant credentials of the user's brand (or of a brand above it) and resellers"
            + " of the brand tree. 404 when the context or the user does not exist or is outside the caller's tree;"
            + " 409 NO_PRIMARY_ADDRESS for a user without a mailbox (e.g. the context admin, user 2), nothing queued."
            + " 200 once the mail is queued, not when it is delivered.";

    private static final String USER = "OX usercontext: the user id and its context, \"userid@contextid\" (or \"userid@contextname\")";

    private final NotificationService service;

    public NotificationResource(NotificationService service) {
        this.service = service;
    }

    @POST
    @Path("overquota/{user}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Queued; the message content",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Mail.class)))
    @Operation(operationId = "sendOverQuotaNotification", summary = "Send an \"over quota\" mail to user", description = "Renders the brand's"
            + " overquota template with quota_threshold (and usage, when given) and queues the mail." + WHO)
    public Mail overQuota(@PathParam("user") @Parameter(description = USER) String user,
                          @RequestBody(description = "the user quota threshold") @Valid @NotNull OverQuota body) {
        return send(new Request(NotificationKind.OVERQUOTA, user, body.quota_threshold(), body.usage()));
    }

    @POST
    @Path("spamdisabled/{user}")
    @APIResponse(responseCode = "200", description = "Queued; the message content",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Mail.class)))
    @Operation(operationId = "sendSpamDisabledNotification", summary = "Send a \"disabled send from sending spam\" mail to user",
            description = "Renders the brand's spamdisabled template and queues the mail." + WHO)
    public Mail spamDisabled(@PathParam("user") @Parameter(description = USER) String user) {
        return send(new Request(NotificationKind.SPAMDISABLED, user, null, null));
    }

    @POST
    @Path("welcome/{user}")
    @APIResponse(responseCode = "200", description = "Queued; the message content",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Mail.class)))
    @Operation(operationId = "sendWelcomeNotification", summary = "Send a \"welcome\" mail to user",
            description = "Renders the brand's welcome template and queues the mail." + WHO)
    public Mail welcome(@PathParam("user") @Parameter(description = USER) String user) {
        return send(new Request(NotificationKind.WELCOME, user, null, null));
    }

    private Mail send(Request request) {
        return new Mail(service.send(request).text());
    }
}
