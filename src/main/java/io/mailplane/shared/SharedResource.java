package io.mailplane.shared;

import io.mailplane.common.Paging;
import io.mailplane.common.Versions;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.shared.SharedDtos.CreateShared;
import io.mailplane.shared.SharedDtos.DelegateView;
import io.mailplane.shared.SharedDtos.Delegation;
import io.mailplane.shared.SharedDtos.SharedAccountView;
import io.mailplane.shared.SharedDtos.UpdateShared;
import io.mailplane.shared.SharedRepository.Kind;
import io.mailplane.shared.SharedService.Actor;
import io.mailplane.shared.SharedService.DelegateResult;
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
 * Shared accounts of a context (seed 002), keyed by address: an owner, a type (mailbox, sso,
 * mailbox_sso) and delegates (users and groups of the context, live group membership).
 */
@Path("/oxaas/v1/admin/contexts/{contextid}/sharedaccounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Shared accounts")
public class SharedResource {
    private final SharedService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    public SharedResource(SharedService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created; for sso and mailbox_sso with the MFA enrolment (mfa.otpauthUri), shown once",
            headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SharedAccountView.class)))
    @Operation(operationId = "createSharedAccount", summary = "Create a shared account",
            description = "The account is a user of the context (login and primary address = address; it counts against the user limits"
                    + " and shows in /users). mailbox: no password, receives mail, used through delegation. sso: a password with MFA, no"
                    + " mailbox. mailbox_sso: both. The owner is a user of the context that is no shared account (404 USER_NOT_FOUND).")
    public Response create(@Valid @NotNull CreateShared body, @jakarta.ws.rs.core.Context UriInfo uri) {
        SharedAccountView v = service.create(caller.context(), body);
        return Response.created(uri.getAbsolutePathBuilder().path(v.address()).build()).tag(Versions.etag(v.version())).entity(v).build();
    }

    @GET
    @Operation(operationId = "listSharedAccounts", summary = "List the shared accounts of the context",
            description = "In creation order, paged, each with its current delegates.")
    public List<SharedAccountView> list(@Valid @BeanParam Paging paging) {
        return service.list(caller.context(), paging);
    }

    @GET
    @Path("{address}")
    @APIResponse(responseCode = "200", description = "The shared account", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SharedAccountView.class)))
    @Operation(operationId = "getSharedAccount", summary = "Read a shared account", description = "With its current delegates.")
    public Response get(@PathParam("address") @Parameter(description = "the shared account's address") String address) {
        SharedAccountView v = find(address);
        return Versions.ok(v, v.version());
    }

    @PUT
    @Path("{address}")
    @APIResponse(responseCode = "200", description = "The updated account; with mfa.otpauthUri when the change enrolled it in MFA",
            headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SharedAccountView.class)))
    @Operation(operationId = "updateSharedAccount", summary = "Update a shared account, transfer it to another owner",
            description = "displayName; owner (a user of the context, transfer); password: a string sets it (mailbox becomes mailbox_sso,"
                    + " enrolled in MFA), null removes it (mailbox_sso becomes mailbox; 400 for sso). Honours If-Match.")
    public Response update(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                           @Valid @NotNull UpdateShared body, @HeaderParam("If-Match") String ifMatch,
                           @jakarta.ws.rs.core.Context Request request) {
        SharedAccountView current = find(address);
        SharedAccountView v = service.update(caller.context(), address, body, Versions.expected(request, ifMatch, current.version()));
        return Versions.ok(v, v.version());
    }

    @DELETE
    @Path("{address}")
    @APIResponse(responseCode = "204", description = "Deleted, with its user and its delegations")
    @Operation(operationId = "deleteSharedAccount", summary = "Delete a shared account",
            description = "Deletes the account's user (its addresses become free) and its delegations. Honours If-Match.")
    public Response delete(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                           @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        SharedAccountView current = find(address);
        if (!service.delete(caller.context(), address, Versions.expected(request, ifMatch, current.version()))) {
            throw SharedService.notFound(address);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{address}/delegates/users/{userid}")
    @APIResponse(responseCode = "201", description = "The user is a delegate now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @APIResponse(responseCode = "200", description = "The user's delegation was replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @Operation(operationId = "setSharedAccountUserDelegate", summary = "Make a user a delegate, or change its delegation",
            description = "permissions among read, send_as, send_on_behalf, manage; until (optional) an instant in the future.")
    public Response setUser(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                            @PathParam("userid") @Parameter(description = "user id") String userId, @Valid @NotNull Delegation body) {
        return answer(service.setDelegate(caller.context(), Actor.admin(), address, Kind.USER, userId, body));
    }

    @DELETE
    @Path("{address}/delegates/users/{userid}")
    @APIResponse(responseCode = "204", description = "The user's delegation is removed")
    @Operation(operationId = "removeSharedAccountUserDelegate", summary = "Remove a user's delegation",
            description = "404 DELEGATE_NOT_FOUND when the user has none (an expired one counts as none).")
    public Response removeUser(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                               @PathParam("userid") @Parameter(description = "user id") String userId) {
        service.removeDelegate(caller.context(), Actor.admin(), address, Kind.USER, userId);
        return Response.noContent().build();
    }

    @PUT
    @Path("{address}/delegates/groups/{groupid}")
    @APIResponse(responseCode = "201", description = "The group is a delegate now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @APIResponse(responseCode = "200", description = "The group's delegation was replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @Operation(operationId = "setSharedAccountGroupDelegate", summary = "Make a group a delegate, or change its delegation",
            description = "Live: whoever is a member of the group when access is checked has it.")
    public Response setGroup(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                             @PathParam("groupid") @Parameter(description = "group id") String groupId, @Valid @NotNull Delegation body) {
        return answer(service.setDelegate(caller.context(), Actor.admin(), address, Kind.GROUP, groupId, body));
    }

    @DELETE
    @Path("{address}/delegates/groups/{groupid}")
    @APIResponse(responseCode = "204", description = "The group's delegation is removed")
    @Operation(operationId = "removeSharedAccountGroupDelegate", summary = "Remove a group's delegation",
            description = "404 DELEGATE_NOT_FOUND when the group has none.")
    public Response removeGroup(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                                @PathParam("groupid") @Parameter(description = "group id") String groupId) {
        service.removeDelegate(caller.context(), Actor.admin(), address, Kind.GROUP, groupId);
        return Response.noContent().build();
    }

    static Response answer(DelegateResult r) {
        return Response.status(r.created() ? 201 : 200).entity(r.delegate()).build();
    }

    private SharedAccountView find(String address) {
        return service.find(caller.context(), address).orElseThrow(() -> SharedService.notFound(address));
    }
}
