package io.mailplane.users;

import jakarta.ws.rs.core.Request;
import io.mailplane.directory.MailUser;

import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.common.Paging;
import io.mailplane.common.Versions;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.users.UserDtos.Aliases;
import io.mailplane.users.UserDtos.CreateUser;
import io.mailplane.users.UserDtos.PasswordChange;
import io.mailplane.users.UserDtos.UpdateUser;
import io.mailplane.users.UserDtos.UserView;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.QueryParam;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users of a context. {@code {contextid}} is the context's id or name; {@code {userid}} the numeric user id. */
@Path("/oxaas/v1/admin/contexts/{contextid}/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Provisioning")
public class UserResource {
    private final UserService service;
    private final Caller caller;

    // No @PathParam field for {contextid} (AccessFilter resolves it into Caller#context): with one,
    // the resource and its interceptor metadata would be built anew for every request.

    public UserResource(UserService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created", headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")}, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @Operation(operationId = "createUser", summary = "Create a user", description = "User ids are allocated from 3 (2 is the context admin). The login (name) is unique platform-wide, as is every address.")
    public Response create(@Valid @NotNull CreateUser body, @jakarta.ws.rs.core.Context UriInfo uri) {
        MailUser u = service.create(caller.context(), body);
        return Response.created(uri.getAbsolutePathBuilder().path(Integer.toString(u.userId)).build())
                .tag(Versions.etag(u.version))
                .entity(UserView.of(u))
                .build();
    }

    @GET
    @Operation(operationId = "listUsers", summary = "get users of a context", description = "An object keyed by uidname holding each user's summary with every attribute set. With uids, those users (unknown ones are left out); without, all users in user-id order, paged.")
    public Map<String, UserSummary> list(
            @QueryParam("uids") @Parameter(description = "comma separated list of uids of the users to return or all users if omitted") String uids,
            @Valid @BeanParam Paging paging) {
        List<String> wanted = uids == null ? null : Arrays.stream(uids.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (wanted != null && wanted.size() > Paging.MAX_LIMIT) {
            throw ApiException.invalid("uids", "at most " + Paging.MAX_LIMIT + " uids");
        }
        Map<String, UserSummary> users = new LinkedHashMap<>();
        service.summaries(caller.context(), wanted, paging).forEach(u -> users.put(u.uidname(), u));
        return users;
    }

    @GET
    @Path("{userid}")
    @APIResponse(responseCode = "200", description = "The user", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @Operation(operationId = "getUser", summary = "Read a user")
    public Response get(@PathParam("userid") String userid) {
        UserRepository.Versioned u = view(userid);
        return Versions.ok(u.view(), u.version());
    }

    @PUT
    @Path("{userid}")
    @APIResponse(responseCode = "200", description = "The updated user", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @Operation(operationId = "updateUser", summary = "Update a user", description = "Fields present replace stored values; aliases as a whole. Honours If-Match.")
    public Response update(@PathParam("userid") String userid, @Valid @NotNull UpdateUser body,
                           @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        MailUser current = user(userid);
        MailUser u = service.update(caller.context(), current.userId, body, Versions.expected(request, ifMatch, current.version))
                .orElseThrow(() -> notFound(userid));
        return Versions.ok(UserView.of(u), u.version);
    }

    @DELETE
    @Path("{userid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteUser", summary = "Delete a user", description = "Honours If-Match. Open sessions of the user end with it.")
    public Response delete(@PathParam("userid") String userid, @HeaderParam("If-Match") String ifMatch,
                           @jakarta.ws.rs.core.Context Request request) {
        MailUser current = user(userid);
        if (!service.remove(caller.context(), current.userId, Versions.expected(request, ifMatch, current.version))) {
            throw notFound(userid);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{userid}/password")
    @APIResponse(responseCode = "204", description = "Changed")
    @Operation(operationId = "setUserPassword", summary = "Change a user's password", description = "Takes effect at once on every replica.")
    public Response changePassword(@PathParam("userid") String userid, @Valid @NotNull PasswordChange body) {
        if (!service.changePassword(caller.context(), Ids.positiveInt("userid", userid), body.password())) {
            throw notFound(userid);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{userid}/aliases")
    @Operation(operationId = "listUserAliases", summary = "List a user's aliases")
    public Aliases aliases(@PathParam("userid") String userid) {
        return new Aliases(view(userid).view().aliases());
    }

    @PUT
    @Path("{userid}/aliases/{alias}")
    @Operation(operationId = "addUserAlias", summary = "Add an alias", description = "Adding an alias the user already has changes nothing.")
    public Aliases addAlias(@PathParam("userid") String userid, @PathParam("alias") String alias) {
        Addresses.require("alias", alias);
        MailUser u = service.addAlias(caller.context(), Ids.positiveInt("userid", userid), alias)
                .orElseThrow(() -> notFound(userid));
        return new Aliases(java.util.List.copyOf(u.aliases));
    }

    @DELETE
    @Path("{userid}/aliases/{alias}")
    @Operation(operationId = "removeUserAlias", summary = "Remove an alias")
    public Aliases removeAlias(@PathParam("userid") String userid, @PathParam("alias") String alias) {
        MailUser u = service.removeAlias(caller.context(), Ids.positiveInt("userid", userid), alias)
                .orElseThrow(() -> notFound(userid));
        return new Aliases(java.util.List.copyOf(u.aliases));
    }

    private MailUser user(String userid) {
        return service.user(caller.context(), Ids.positiveInt("userid", userid)).orElseThrow(() -> notFound(userid));
    }

    /** The user as a read answers it (no entity, no transaction). */
    private UserRepository.Versioned view(String userid) {
        return service.view(caller.context(), Ids.positiveInt("userid", userid)).orElseThrow(() -> notFound(userid));
    }

    private static ApiException notFound(String userid) {
        return new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userid + " does not exist in this context.");
    }
}
