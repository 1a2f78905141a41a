package io.mailplane.users;

import io.mailplane.common.Paging;
import io.mailplane.domains.DomainService;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Users on one explicit domain of the caller's brand tree. It lives with the users (not with
 * the domains) because users depend on domains, never the other way round.
 */
@Path("/oxaas/v1/admin/domains/{domain}/users")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.RESELLER_ADMIN)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Explicit Domains")
public class BrandDomainUsersResource {
    private final DomainService domains;
    private final UserSearchService users;
    private final Caller caller;

    public BrandDomainUsersResource(DomainService domains, UserSearchService users, Caller caller) {
        this.domains = domains;
        this.users = users;
        this.caller = caller;
    }

    /** Wire shape of the answer (OX). */
    public record Users(List<UserSummary> users) {
    }

    @GET
    @Operation(operationId = "listBrandDomainUsers", summary = "Retrieve all users with aliases using the given domain", description = "Users of the brand tree with their primary address or an alias on the domain.")
    public Users users(@PathParam("domain") String domain, @Valid @BeanParam Paging paging) {
        String name = domains.requireExplicitInTree(domain, caller.treeRoot());
        return new Users(users.onDomain(name, caller.treeRoot(), paging));
    }
}
