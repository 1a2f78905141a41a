package io.mailplane.mailstats;

import io.mailplane.mailstats.MailStatsDtos.All;
import io.mailplane.mailstats.MailStatsDtos.Count;
import io.mailplane.mailstats.MailStatsDtos.MailQuota;
import io.mailplane.mailstats.MailStatsDtos.RecentMail;
import io.mailplane.security.Access;
import io.mailplane.security.Scheme;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX Cloud-Plugins "Mail": statistics of one user's mailbox, read over IMAP as the configured
 * Dovecot master user. The path's {@code {uid}} is OX's {@code userid@contextid} (also
 * {@code userid@contextname}) or the user's login; it is resolved by {@link MailStatsService},
 * not as a context of the path.
 */
@Path("/oxaas/v1/mail/{uid}")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.TENANT_OR_RESELLER)
@SecurityRequirement(name = "tennantAuth")
@Tag(name = "Mail")
@APIResponse(responseCode = "409", description = "The user has no mailbox (NO_PRIMARY_ADDRESS), e.g. the context admin (user 2)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@APIResponse(responseCode = "502", description = "The mail server cannot be reached (MAIL_SERVER_UNAVAILABLE, within the connect"
        + " timeout) or failed the request (MAIL_SERVER_ERROR, e.g. it refused the master login)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
@APIResponse(responseCode = "504", description = "The mail server did not answer within the read timeout (MAIL_SERVER_TIMEOUT)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
public class MailStatsResource {
    private static final String WHO = " Callers: the tenant credentials of the user's brand (or of a brand above it) and resellers"
            + " of the brand tree. 404 when the user (or its context) does not exist or is outside the caller's tree."
            + " 503 with Retry-After when this replica already talks to the mail server as often as it may.";

    private static final String UID = "the user: OX's \"userid@contextid\" (also \"userid@contextname\"), or the user's login (uidname)";

    private final MailStatsService service;

    public MailStatsResource(MailStatsService service) {
        this.service = service;
    }

    @GET
    @Path("all")
    @APIResponse(responseCode = "200", description = "Every statistic",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = All.class)))
    @Operation(operationId = "getAllMailData", summary = "get all data in one request", description = "recentmails, quota,"
            + " newmessages and the unread counts (recentmessages), read in one IMAP session." + WHO)
    public All all(@PathParam("uid") @Parameter(description = UID, schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 139)) String uid) {
        return service.all(uid);
    }

    @GET
    @Path("newmessages")
    @APIResponse(responseCode = "200", description = "The number of INBOX mails that arrived since the user's last login",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Count.class)))
    @Operation(operationId = "getNewMessages", summary = "get the number of new messages since last login in INBOX",
            description = "INBOX mails that arrived after the user's last mail login (as Dovecot recorded it; the last API login"
                    + " when there is none); every INBOX mail when the user never logged in." + WHO)
    public Count newMessages(@PathParam("uid") @Parameter(description = UID, schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 139)) String uid) {
        return service.newMessages(uid);
    }

    @GET
    @Path("quota")
    @APIResponse(responseCode = "200", description = "The mailbox's storage usage and limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MailQuota.class)))
    @Operation(operationId = "getMailQuota", summary = "get the current user quota",
            description = "IMAP GETQUOTAROOT INBOX, resource STORAGE: usage and limit in KiB." + WHO)
    public MailQuota quota(@PathParam("uid") @Parameter(description = UID, schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 139)) String uid) {
        return service.quota(uid);
    }

    @GET
    @Path("recentmails")
    @APIResponse(responseCode = "200", description = "Up to 5 mails, the most recently arrived first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = RecentMail.class)))
    @Operation(operationId = "getRecentMails", summary = "get 5 recent mails from user in INBOX",
            description = "The 5 most recently arrived INBOX mails: from, subject, date, seen, size. Reading them marks nothing as read." + WHO)
    public List<RecentMail> recentMails(@PathParam("uid") @Parameter(description = UID, schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 139)) String uid) {
        return service.recentMails(uid);
    }

    @GET
    @Path("unread")
    @APIResponse(responseCode = "200", description = "The number of unread mails in all folders",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Count.class)))
    @Operation(operationId = "getUnreadMails", summary = "get the number of unread mails in all folders",
            description = "Unread (not \\\\Seen) mails of every folder, by STATUS; named newmessages, as OX answers it." + WHO)
    public Count unread(@PathParam("uid") @Parameter(description = UID, schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 139)) String uid) {
        return service.unread(uid);
    }

    @GET
    @Path("unread/inbox")
    @APIResponse(responseCode = "200", description = "The number of unread mails in INBOX",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Count.class)))
    @Operation(operationId = "getUnreadInboxMails", summary = "get the unread message count from INBOX for user",
            description = "Unread (not \\\\Seen) INBOX mails, by STATUS; named newmessages, as OX answers it." + WHO)
    public Count unreadInbox(@PathParam("uid") @Parameter(description = UID, schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 139)) String uid) {
        return service.unreadInbox(uid);
    }
}
