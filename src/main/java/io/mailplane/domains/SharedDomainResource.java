package io.mailplane.domains;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.domains.DomainDtos.Domain;
import io.mailplane.domains.DomainDtos.Domains;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Shared (brand-wide) mail domains, usable by every context of the brand and its sub-brands. */
@Path("/oxaas/v1/admin/sharedmaildomains")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.RESELLER_ADMIN)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Shared Domains")
public class SharedDomainResource {
    private final DomainService service;
    private final Caller caller;

    public SharedDomainResource(DomainService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listSharedDomains", summary = "List all shared domains owned by brand", description = "Those of the caller's brand and its sub-brands. OX clients may also call GET /oxaas/v1/admin/sharedmaildomains/*.")
    public Domains list() {
        return new Domains(service.sharedInTree(caller.treeRoot()));
    }

    @GET
    @Path("*")
    @Operation(hidden = true) // OX clients' spelling of listSharedDomains
    public Domains listAll() {
        return list();
    }

    @HEAD
    @Path("{domain}")
    @APIResponse(responseCode = "200", description = "The caller's brand tree owns it")
    @Operation(operationId = "sharedDomainExists", summary = "Check if shared domain exists", description = "200 when the caller's brand tree owns it, else 404.")
    public Response exists(@PathParam("domain") String domain) {
        String name = DomainService.canonical("domain", domain);
        if (!service.sharedInTree(caller.treeRoot()).contains(name)) {
            throw ContextDomainResource.notFound(name);
        }
        return Response.ok().build();
    }

    @POST
    @Path("{domain}")
    @Operation(operationId = "createSharedDomain", summary = "Create given shared domain", description = "200 {\"domain\":...} (OX clients test for 200), also when the brand owns it already; 409 DOMAIN_EXISTS when a context or another brand owns it.")
    public Domain create(@PathParam("domain") String domain) {
        String name = DomainService.canonical("domain", domain);
        service.claimForBrand(brand(), name);
        return new Domain(name);
    }

    @DELETE
    @Path("{domain}")
    @APIResponse(responseCode = "204", description = "Removed")
    @Operation(operationId = "deleteSharedDomain", summary = "Remove given shared domain", description = "A shared domain of the caller's brand or of a sub-brand. 409 DOMAIN_IN_USE while users or forwards of the owning brand's tree use it, unless force=true.")
    public Response delete(@PathParam("domain") String domain,
                           @QueryParam("force") @DefaultValue("false") @Parameter(description = "remove even while in use") boolean force) {
        String name = DomainService.canonical("domain", domain);
        long owner = service.brandOf(name).filter(caller::canSeeReseller)
                .orElseThrow(() -> ContextDomainResource.notFound(name));
        service.releaseFromBrand(owner, name, force);
        return Response.noContent().build();
    }

    /** Shared domains belong to a brand; the master admin has none. */
    private long brand() {
        if (!caller.isReseller()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Shared domains belong to a brand; sign in as its reseller.");
        }
        return caller.account().resellerId();
    }
}
