package io.mailplane.domains;

import io.mailplane.domains.DomainDtos.Domain;
import io.mailplane.domains.DomainDtos.Domains;
import io.mailplane.domains.DomainDtos.Users;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Realm;
import io.mailplane.security.Scheme;
import io.mailplane.users.UserSearchService;
import io.mailplane.common.Paging;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
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
    private final UserSearchService users;
    private final Caller caller;

    public BrandDomainResource(DomainService service, UserSearchService users, Caller caller) {
        this.service = service;
        this.users = users;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listBrandDomains", summary = "List all explicit mail domains owned by brand")
    public Domains list() {
        return new Domains(service.explicitInTree(scope()));
    }

    @GET
    @Path("{domain}")
    @Operation(operationId = "getBrandDomain", summary = "Check whether given domain exists in brand")
    public Domain get(@PathParam("domain") String domain) {
        return new Domain(visible(domain));
    }

    @GET
    @Path("{domain}/users")
    @Operation(operationId = "listBrandDomainUsers", summary = "Retrieve all users with aliases using the given domain", description = "Users of the brand tree with their primary address or an alias on the domain.")
    public Users users(@PathParam("domain") String domain, @Valid @BeanParam Paging paging) {
        return new Users(users.onDomain(visible(domain), scope(), paging));
    }

    private String visible(String domain) {
        String name = DomainService.canonical("domain", domain);
        if (!service.explicitInTree(scope()).contains(name)) {
            throw ContextDomainResource.notFound(name);
        }
        return name;
    }

    private Long scope() {
        return caller.realm() == Realm.MASTER ? null : caller.account().resellerId();
    }
}
