package io.mailplane.mailboxes;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.common.Paging;
import io.mailplane.common.Versions;
import io.mailplane.mailboxes.MailboxDtos.CreateMailbox;
import io.mailplane.mailboxes.MailboxDtos.Created;
import io.mailplane.mailboxes.MailboxDtos.MailboxView;
import io.mailplane.mailboxes.MailboxDtos.UpdateMailbox;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Exchange-style mailboxes of a context (Exchange's {@code pem.exchange.addMailbox}); at most one
 * per user. {@code {contextid}} is the context's id or name; {@code {mailbox_id}} the mailbox_id.
 */
@Path("/oxaas/v1/admin/contexts/{contextid}/mailboxes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Mailboxes")
public class MailboxResource {
    private final MailboxService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    public MailboxResource(MailboxService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created: the mailbox's id, and the new user's password when it was generated",
            headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Created.class)))
    @Operation(operationId = "createMailbox", summary = "Create a mailbox for an existing or a new user",
            description = "Exactly one of user_id (an existing user of the context) and new_user (400 otherwise). new_user with the "
                    + "login of a user of this context gives that user the mailbox (its password and display name stay as they are); "
                    + "a login of another context's user is 409 USER_EXISTS. A new user counts against the context's and resellers' "
                    + "user and quota limits. The mailbox's addresses become the user's primary address and aliases, its size limit "
                    + "the user's quota (size_limit / 1024 MB). A user has at most one mailbox (409 MAILBOX_EXISTS).")
    public Response create(@Valid @NotNull CreateMailbox body, @jakarta.ws.rs.core.Context UriInfo uri) {
        Created created = service.create(caller.context(), body, service.prepare(body));
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(created.mailbox_id())).build())
                .tag(Versions.etag(created.version()))
                .entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listMailboxes", summary = "List the mailboxes of the context", description = "In mailbox_id order, paged.")
    public List<MailboxView> list(@Valid @BeanParam Paging paging) {
        return service.list(caller.context(), paging);
    }

    @GET
    @Path("{mailbox_id}")
    @APIResponse(responseCode = "200", description = "The mailbox", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MailboxView.class)))
    @Operation(operationId = "getMailbox", summary = "Read a mailbox", description = "Never shows a password.")
    public Response get(@PathParam("mailbox_id") String mailboxid) {
        MailboxView m = mailbox(mailboxid);
        return Versions.ok(m, m.version());
    }

    @PUT
    @Path("{mailbox_id}")
    @APIResponse(responseCode = "200", description = "The updated mailbox", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MailboxView.class)))
    @Operation(operationId = "updateMailbox", summary = "Update a mailbox",
            description = "Fields present replace stored values (alt_email_addresses as a whole); addresses and size limit are the user's. "
                    + "Honours If-Match; the ETag moves also when the user's addresses or quota change.")
    public Response update(@PathParam("mailbox_id") String mailboxid, @Valid @NotNull UpdateMailbox body,
                           @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        MailboxView current = mailbox(mailboxid);
        MailboxView m = service.update(caller.context(), current.mailbox_id(), body, Versions.expected(request, ifMatch, current.version()))
                .orElseThrow(() -> notFound(mailboxid));
        return Versions.ok(m, m.version());
    }

    @DELETE
    @Path("{mailbox_id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteMailbox", summary = "Delete a mailbox",
            description = "The user stays, with its login, password, addresses and quota. Honours If-Match.")
    public Response delete(@PathParam("mailbox_id") String mailboxid, @HeaderParam("If-Match") String ifMatch,
                           @jakarta.ws.rs.core.Context Request request) {
        MailboxView current = mailbox(mailboxid);
        if (!service.delete(caller.context(), current.mailbox_id(), Versions.expected(request, ifMatch, current.version()))) {
            throw notFound(mailboxid);
        }
        return Response.noContent().build();
    }

    private MailboxView mailbox(String mailboxid) {
        return service.find(caller.context(), Ids.positiveLong("mailbox_id", mailboxid)).orElseThrow(() -> notFound(mailboxid));
    }

    private static ApiException notFound(String mailboxid) {
        return new ApiException(ErrorCode.MAILBOX_NOT_FOUND, "Mailbox " + mailboxid + " does not exist in this context.");
    }
}
