package io.mailplane.outbox;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.common.Paging;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators' view of the notification outbox: the master admin sees every mail, a reseller those of its brand tree. */
@Path("/oxaas/v1/admin/notification/outbox")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.PROVISIONING)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Notification")
public class OutboxResource {
    private final OutboxService service;
    private final Caller caller;

    public OutboxResource(OutboxService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The mails, newest first", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = OutboxEntry.class)))
    @Operation(operationId = "listOutbox", summary = "List the notification outbox",
            description = "Newest first, paged; with status, only mails in that state (queued, sending, sent, failed, cancelled). "
                    + "The master admin sees every mail, a reseller the mails of its brand tree.")
    public List<OutboxEntry> list(
            @QueryParam("status") @Parameter(description = "only mails in this state",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"queued", "sending", "sent", "failed", "cancelled"})) String status,
            @Valid @BeanParam Paging paging) {
        if (status != null && !OutboxEntry.STATUSES.contains(status)) {
            throw ApiException.invalid("status", "must be one of " + String.join(", ", OutboxEntry.STATUSES));
        }
        return service.list(caller.treeRoot(), status, paging);
    }

    @POST
    @Path("{outboxId}/retry")
    @APIResponse(responseCode = "200", description = "The mail, queued again", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = OutboxEntry.class)))
    @Operation(operationId = "retryOutboxMail", summary = "Send a failed or queued mail again now",
            description = "The mail is queued, due now, with a fresh set of attempts. 409 when it is being sent, sent or cancelled.")
    public OutboxEntry retry(@PathParam("outboxId") @Parameter(description = "the outbox entry's id",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) String outboxId) {
        long id = Ids.positiveLong("outboxId", outboxId);
        return service.retry(caller.treeRoot(), id).orElseThrow(() -> notFound(outboxId));
    }

    @DELETE
    @Path("{outboxId}")
    @APIResponse(responseCode = "204", description = "Cancelled: the mail will not be sent")
    @Operation(operationId = "cancelOutboxMail", summary = "Cancel a queued mail",
            description = "The entry stays, cancelled. 409 when the mail is not queued (being sent, sent, failed or cancelled).")
    public Response cancel(@PathParam("outboxId") @Parameter(description = "the outbox entry's id",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) String outboxId) {
        long id = Ids.positiveLong("outboxId", outboxId);
        service.cancel(caller.treeRoot(), id).orElseThrow(() -> notFound(outboxId));
        return Response.noContent().build();
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.OUTBOX_ENTRY_NOT_FOUND, "Outbox entry " + id + " does not exist.");
    }
}
