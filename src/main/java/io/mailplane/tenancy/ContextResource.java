package io.mailplane.tenancy;

import jakarta.ws.rs.core.Request;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.TenantContext;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Paging;
import io.mailplane.common.Versions;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.tenancy.ContextDtos.ContextView;
import io.mailplane.tenancy.ContextDtos.CreateContext;
import io.mailplane.tenancy.ContextDtos.UpdateContext;
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

/** Contexts (customer organisations). {@code {contextid}} is the numeric id or the name. */
@Path("/oxaas/v1/admin/contexts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Provisioning")
public class ContextResource {
    private final ContextService service;
    private final ResellerService resellers;
    private final Caller caller;
    private final ResellerTree tree;

    public ContextResource(ContextService service, ResellerService resellers, Caller caller, ResellerTree tree) {
        this.service = service;
        this.resellers = resellers;
        this.caller = caller;
        this.tree = tree;
    }

    @POST
    @Access(Scheme.PROVISIONING)
    @SecurityRequirement(name = "resellerAdminAuth")
    @APIResponse(responseCode = "201", description = "Created", headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")}, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContextView.class)))
    @Operation(operationId = "createContext", summary = "Create a context", description = "A reseller creates contexts it owns; the master admin names the owner with resellerId. The restrictions of the owner and its ancestors apply.")
    public Response create(@Valid @NotNull CreateContext body, @jakarta.ws.rs.core.Context UriInfo uri) {
        long owner;
        if (caller.isMaster()) {
            if (body.resellerId() == null) {
                throw ApiException.invalid("resellerId", "the master admin must name the owning reseller");
            }
            owner = body.resellerId();
        } else {
            owner = body.resellerId() == null ? caller.account().resellerId() : body.resellerId();
        }
        if (!caller.canSeeReseller(owner) || resellers.find(owner).isEmpty()) {
            throw new ApiException(ErrorCode.RESELLER_NOT_FOUND, "Reseller " + owner + " does not exist.");
        }
        TenantContext c = service.create(body, owner);
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(c.id)).build())
                .tag(Versions.etag(c.version))
                .entity(ContextView.of(c))
                .build();
    }

    @GET
    @Access(Scheme.PROVISIONING)
    @SecurityRequirement(name = "resellerAdminAuth")
    @Operation(operationId = "listContexts", summary = "List the caller's contexts", description = "A reseller's contexts and those of its sub-resellers; all for the master admin.")
    public List<ContextView> list(@Valid @BeanParam Paging paging) {
        Long root = caller.treeRoot();
        return service.list(root, paging).stream().map(ContextView::of).toList();
    }

    @GET
    @Path("{contextid}")
    @Access(value = Scheme.CONTEXT_READ, context = Access.CONTEXT_ID)
    @SecurityRequirement(name = "contextAdminAuth")
    @APIResponse(responseCode = "200", description = "The context", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContextView.class)))
    @Operation(operationId = "getContext", summary = "Read a context", description = "The master admin may always read a context, also without MASTER_ACCOUNT_OVERRIDE.")
    public Response get(@PathParam("contextid") @Parameter(description = "context id or name") String contextid) {
        TenantContext c = caller.context();
        return Versions.ok(ContextView.of(c), c.version);
    }

    @PUT
    @Path("{contextid}")
    @Access(value = Scheme.PROVISIONING, context = Access.CONTEXT_ID)
    @SecurityRequirement(name = "resellerAdminAuth")
    @APIResponse(responseCode = "200", description = "The updated context", headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContextView.class)))
    @Operation(operationId = "updateContext", summary = "Update a context", description = "Fields present replace stored values. Honours If-Match.")
    public Response update(@PathParam("contextid") @Parameter(description = "context id or name") String contextid,
                           @Valid @NotNull UpdateContext body, @HeaderParam("If-Match") String ifMatch,
                           @jakarta.ws.rs.core.Context Request request) {
        TenantContext current = service.find(caller.context().id).orElseThrow(this::gone);
        TenantContext c = service.update(current.id, body, Versions.expected(request, ifMatch, current.version)).orElseThrow(this::gone);
        return Versions.ok(ContextView.of(c), c.version);
    }

    @DELETE
    @Path("{contextid}")
    @Access(value = Scheme.PROVISIONING, context = Access.CONTEXT_ID)
    @SecurityRequirement(name = "resellerAdminAuth")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteContext", summary = "Delete a context and everything in it", description = "Users, aliases, groups and sessions go in the same transaction. Honours If-Match.")
    public Response delete(@PathParam("contextid") @Parameter(description = "context id or name") String contextid,
                           @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        TenantContext current = service.find(caller.context().id).orElseThrow(this::gone);
        if (!service.delete(current.id, Versions.expected(request, ifMatch, current.version))) {
            throw gone();
        }
        return Response.noContent().build();
    }

    public record Brand(String brandname, @com.fasterxml.jackson.annotation.JsonProperty("toplevel-brand") String toplevelBrand) {
    }

    @GET
    @Path("{contextid}/brand")
    @Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
    @SecurityRequirement(name = "contextAdminAuth")
    @Tag(name = "Admin")
    @Operation(operationId = "getContextBrand", summary = "retrieve brand name(s) of the given contextid", description = "If the brand is a sub-brand, the top-level brand is returned as well (for a top-level brand both are the same).")
    public Brand brand(@PathParam("contextid") @Parameter(description = "context id or name") String contextid) {
        List<ResellerTree.Brand> lineage = tree.brands(caller.context().resellerId);
        return new Brand(lineage.get(0).brand(), lineage.get(lineage.size() - 1).brand());
    }

    private ApiException gone() {
        return new ApiException(ErrorCode.CONTEXT_NOT_FOUND, "Context " + caller.context().id + " does not exist.");
    }
}
