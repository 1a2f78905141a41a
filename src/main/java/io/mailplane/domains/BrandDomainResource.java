package io.mailplane.domains;

import io.mailplane.domains.DomainDtos.Domain;
import io.mailplane.domains.DomainDtos.Domains;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Explicit domains across the caller's brand tree. */
@Path("/oxaas/v1/admin/domains")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.RESELLER_ADMIN)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Explicit Domains")
public class BrandDomainResource {
    private final DomainService service;
    private final Caller caller;

    public BrandDomainResource(DomainService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listBrandDomains", summary = "List all explicit mail domains owned by brand")
    public Domains list() {
        return new Domains(service.explicitInTree(caller.treeRoot()));
    }

    @GET
    @Path("{domain}")
    @Operation(operationId = "getBrandDomain", summary = "Check whether given domain exists in brand")
    public Domain get(@PathParam("domain") String domain) {
        return new Domain(visible(domain));
    }

    private String visible(String domain) {
        return service.requireExplicitInTree(domain, caller.treeRoot());
    }
}
