package io.mailplane.groups;

import jakarta.ws.rs.core.Request;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.common.Paging;
import io.mailplane.common.Versions;
import io.mailplane.groups.GroupDtos.CreateGroup;
import io.mailplane.groups.GroupDtos.GroupView;
import io.mailplane.groups.GroupDtos.UpdateGroup;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Groups of a context; members are user ids of the same context. Group id 0 ("all users") is implicit. */
@Path("/oxaas/v1/admin/contexts/{contextid}/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Provisioning")
public class GroupResource {
    private final GroupService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    public GroupResource(GroupService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created", headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")}, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @Operation(operationId = "createGroup", summary = "Create a group")
    public Response create(@Valid @NotNull CreateGroup body, @jakarta.ws.rs.core.Context UriInfo uri) {
        GroupView g = service.create(caller.context(), body);
        return Response.created(uri.getAbsolutePathBuilder().path(Integer.toString(g.id())).build())
                .tag(Versions.etag(g.version()))
                .entity(g)
                .build();
    }

    @GET
    @Operation(operationId = "listGroups", summary = "List the groups of the context")
    public List<GroupView> list(@Valid @BeanParam Paging paging) {
        return service.list(caller.context(), paging);
    }

    @GET
    @Path("{groupid}")
    @APIResponse(responseCode = "200", description = "The group", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @Operation(operationId = "getGroup", summary = "Read a group")
    public Response get(@PathParam("groupid") String groupid) {
        GroupView g = group(groupid);
        return Versions.ok(g, g.version());
    }

    @PUT
    @Path("{groupid}")
    @APIResponse(responseCode = "200", description = "The updated group", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @Operation(operationId = "updateGroup", summary = "Update a group", description = "Fields present replace stored values; members as a whole. Honours If-Match.")
    public Response update(@PathParam("groupid") String groupid, @Valid @NotNull UpdateGroup body,
                           @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        GroupView current = group(groupid);
        GroupView g = service.update(caller.context(), current.id(), body, Versions.expected(request, ifMatch, current.version()))
                .orElseThrow(() -> notFound(groupid));
        return Versions.ok(g, g.version());
    }

    @DELETE
    @Path("{groupid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteGroup", summary = "Delete a group", description = "Honours If-Match.")
    public Response delete(@PathParam("groupid") String groupid, @HeaderParam("If-Match") String ifMatch,
                           @jakarta.ws.rs.core.Context Request request) {
        GroupView current = group(groupid);
        if (!service.delete(caller.context(), current.id(), Versions.expected(request, ifMatch, current.version()))) {
            throw notFound(groupid);
        }
        return Response.noContent().build();
    }

    private GroupView group(String groupid) {
        return service.find(caller.context(), Ids.positiveInt("groupid", groupid)).orElseThrow(() -> notFound(groupid));
    }

    private static ApiException notFound(String groupid) {
        return new ApiException(ErrorCode.GROUP_NOT_FOUND, "Group " + groupid + " does not exist in this context.");
    }
}
