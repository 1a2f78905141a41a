package io.mailplane.tenancy;

import jakarta.ws.rs.core.Request;
import io.mailplane.directory.Reseller;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.common.Paging;
import io.mailplane.common.Versions;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.tenancy.ResellerDtos.CreateReseller;
import io.mailplane.tenancy.ResellerDtos.ResellerView;
import io.mailplane.tenancy.ResellerDtos.TenantCredentials;
import io.mailplane.tenancy.ResellerDtos.UpdateReseller;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Resellers (brands). The master admin manages all; a reseller manages itself and its sub-resellers. */
@Path("/oxaas/v1/admin/resellers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(Scheme.PROVISIONING)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Provisioning")
public class ResellerResource {
    private final ResellerService service;
    private final Caller caller;

    public ResellerResource(ResellerService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created", headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")}, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResellerView.class)))
    @Operation(operationId = "createReseller", summary = "Create a reseller", description = "The master admin creates top-level resellers (or, with parentId, sub-resellers anywhere); a reseller creates sub-resellers in its own tree.")
    public Response create(@Valid @NotNull CreateReseller body, @jakarta.ws.rs.core.Context UriInfo uri) {
        Long parentId = body.parentId();
        if (parentId == null && caller.isReseller()) {
            parentId = caller.account().resellerId();
        }
        if (parentId != null && (!caller.canSeeReseller(parentId) || service.find(parentId).isEmpty())) {
            throw notFound(parentId);
        }
        Reseller r = service.create(body, parentId);
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(r.id)).build())
                .tag(Versions.etag(r.version))
                .entity(ResellerView.of(r, null))
                .build();
    }

    @GET
    @Operation(operationId = "listResellers", summary = "List resellers", description = "The master admin sees all, a reseller its own tree.")
    public List<ResellerView> list(@Valid @BeanParam Paging paging) {
        Long root = caller.treeRoot();
        return service.list(root, paging).stream().map(r -> ResellerView.of(r, null)).toList();
    }

    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "The reseller", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResellerView.class)))
    @Operation(operationId = "getReseller", summary = "Read a reseller")
    public Response get(@PathParam("id") String id) {
        Reseller r = visible(id);
        return Versions.ok(ResellerView.of(r, service.tenantLogin(r.id).orElse(null)), r.version);
    }

    @PUT
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "The updated reseller", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResellerView.class)))
    @Operation(operationId = "updateReseller", summary = "Update a reseller", description = "Fields present replace stored values. A reseller cannot change its own restrictions. Honours If-Match.")
    public Response update(@PathParam("id") String id, @Valid @NotNull UpdateReseller body,
                           @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        Reseller target = visible(id);
        boolean self = caller.isReseller(target.id);
        Reseller r = service.update(target.id, body, Versions.expected(request, ifMatch, target.version), !self).orElseThrow(() -> notFound(target.id));
        return Versions.ok(ResellerView.of(r, service.tenantLogin(r.id).orElse(null)), r.version);
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteReseller", summary = "Delete a reseller", description = "Only a reseller without contexts and sub-resellers; not oneself. Honours If-Match.")
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                           @jakarta.ws.rs.core.Context Request request) {
        Reseller target = visible(id);
        if (caller.isReseller(target.id)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A reseller cannot delete itself.");
        }
        if (!service.delete(target.id, Versions.expected(request, ifMatch, target.version))) {
            throw notFound(target.id);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("{id}/tenant")
    @APIResponse(responseCode = "204", description = "Set")
    @Operation(operationId = "setResellerTenantCredentials", summary = "Set the brand's tenant credentials", description = "The Basic-auth credentials of the brand's integrations (tennantAuth).")
    public Response setTenant(@PathParam("id") String id, @Valid @NotNull TenantCredentials body) {
        Reseller target = visible(id);
        service.setTenant(target.id, body).orElseThrow(() -> notFound(target.id));
        return Response.noContent().build();
    }

    private Reseller visible(String rawId) {
        long id = Ids.positiveLong("id", rawId);
        return service.find(id).filter(r -> caller.canSeeReseller(r.id)).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(long id) {
        return new ApiException(ErrorCode.RESELLER_NOT_FOUND, "Reseller " + id + " does not exist.");
    }
}
