package io.mailplane.shared;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.directory.ContextDirectory;
import io.mailplane.directory.TenantContext;
import io.mailplane.security.Access;
import io.mailplane.security.Account;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.shared.SharedDtos.DelegateView;
import io.mailplane.shared.SharedDtos.DelegatedView;
import io.mailplane.shared.SharedDtos.Delegation;
import io.mailplane.shared.SharedDtos.SharedAccountView;
import io.mailplane.shared.SharedRepository.Kind;
import io.mailplane.shared.SharedService.Actor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Shared accounts for their owners and delegates (user auth: own login and password, or a session
 * token): what I own, what I may use, and, as owner or {@code manage} delegate, the delegates.
 */
@Path("/api/2.0/sharedaccounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(Scheme.USER)
@SecurityRequirement(name = "basicAuth")
@Tag(name = "Shared accounts")
public class SharedSelfResource {
    private final SharedService service;
    private final Caller caller;
    private final ContextDirectory contexts;

    public SharedSelfResource(SharedService service, Caller caller, ContextDirectory contexts) {
        this.service = service;
        this.caller = caller;
        this.contexts = contexts;
    }

    @GET
    @Path("owned")
    @Operation(operationId = "listOwnedSharedAccounts", summary = "The shared accounts I own",
            description = "Each with its current delegates (users and groups) and their permissions.")
    public List<SharedAccountView> owned() {
        return service.owned(caller.account().userPk());
    }

    @GET
    @Path("delegated")
    @Operation(operationId = "listDelegatedSharedAccounts", summary = "The shared accounts I may use",
            description = "With my effective permissions: the union of my own delegations and those of my groups (membership now).")
    public List<DelegatedView> delegated() {
        return service.delegated(caller.account().userPk());
    }

    @PUT
    @Path("{address}/delegates/users/{userid}")
    @APIResponse(responseCode = "201", description = "The user is a delegate now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @APIResponse(responseCode = "200", description = "The user's delegation was replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @Operation(operationId = "setMySharedAccountUserDelegate", summary = "As owner or manage delegate: make a user of my context a delegate",
            description = "403 for a delegate without manage; 404 for an account I have nothing to do with.")
    public Response setUser(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                            @PathParam("userid") @Parameter(description = "user id") String userId, @Valid @NotNull Delegation body) {
        return SharedResource.answer(service.setDelegate(context(), actor(), address, Kind.USER, userId, body));
    }

    @DELETE
    @Path("{address}/delegates/users/{userid}")
    @APIResponse(responseCode = "204", description = "The user's delegation is removed")
    @Operation(operationId = "removeMySharedAccountUserDelegate", summary = "As owner or manage delegate: remove a user's delegation")
    public Response removeUser(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                               @PathParam("userid") @Parameter(description = "user id") String userId) {
        service.removeDelegate(context(), actor(), address, Kind.USER, userId);
        return Response.noContent().build();
    }

    @PUT
    @Path("{address}/delegates/groups/{groupid}")
    @APIResponse(responseCode = "201", description = "The group is a delegate now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @APIResponse(responseCode = "200", description = "The group's delegation was replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DelegateView.class)))
    @Operation(operationId = "setMySharedAccountGroupDelegate", summary = "As owner or manage delegate: make a group of my context a delegate")
    public Response setGroup(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                             @PathParam("groupid") @Parameter(description = "group id") String groupId, @Valid @NotNull Delegation body) {
        return SharedResource.answer(service.setDelegate(context(), actor(), address, Kind.GROUP, groupId, body));
    }

    @DELETE
    @Path("{address}/delegates/groups/{groupid}")
    @APIResponse(responseCode = "204", description = "The group's delegation is removed")
    @Operation(operationId = "removeMySharedAccountGroupDelegate", summary = "As owner or manage delegate: remove a group's delegation")
    public Response removeGroup(@PathParam("address") @Parameter(description = "the shared account's address") String address,
                                @PathParam("groupid") @Parameter(description = "group id") String groupId) {
        service.removeDelegate(context(), actor(), address, Kind.GROUP, groupId);
        return Response.noContent().build();
    }

    private Actor actor() {
        return Actor.user(caller.account().userPk());
    }

    private TenantContext context() {
        Account a = caller.account();
        return contexts.byIdOrName(Long.toString(a.contextId()))
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, "Valid credentials are required."));
    }
}
