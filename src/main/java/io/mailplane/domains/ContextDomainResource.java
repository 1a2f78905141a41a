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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Explicit mail domains of a context (OX "Explicit Domains"). */
@Path("/oxaas/v1/admin/contexts/{contextid}/domains")
@Produces(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Explicit Domains")
public class ContextDomainResource {
    private final DomainService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    public ContextDomainResource(DomainService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listContextDomains", summary = "List all explicit mail domains within given context")
    public Domains list() {
        return new Domains(service.ofContext(caller.context().id));
    }

    @GET
    @Path("{domain}")
    @Operation(operationId = "getContextDomain", summary = "Check whether given domain exists in context")
    public Domain get(@PathParam("domain") String domain) {
        String name = DomainService.canonical("domain", domain);
        if (service.contextOf(name).filter(id -> id == caller.context().id.longValue()).isEmpty()) {
            throw notFound(name);
        }
        return new Domain(name);
    }

    @PUT
    @Path("{domain}")
    @APIResponse(responseCode = "201", description = "Claimed now", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Domain.class)))
    @APIResponse(responseCode = "200", description = "The context owns it already", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Domain.class)))
    @Operation(operationId = "claimContextDomain", summary = "Create given domain in context", description = "201 when claimed now, 200 when the context owns it already; 409 DOMAIN_EXISTS when another context or a brand owns it. IDN domains are stored as lowercase punycode.")
    public Response create(@PathParam("domain") String domain) {
        String name = DomainService.canonical("domain", domain);
        boolean created = service.claimForContext(caller.context(), name);
        return Response.status(created ? 201 : 200).entity(new Domain(name)).build();
    }

    @DELETE
    @Path("{domain}")
    @APIResponse(responseCode = "204", description = "Released")
    @Operation(operationId = "releaseContextDomain", summary = "Remove given domain from context", description = "409 DOMAIN_IN_USE while users or forwards have addresses on it, unless force=true (its forwards are then removed too).")
    public Response delete(@PathParam("domain") String domain,
                           @QueryParam("force") @DefaultValue("false") @Parameter(description = "remove even while in use") boolean force) {
        String name = DomainService.canonical("domain", domain);
        if (!service.releaseFromContext(caller.context(), name, force)) {
            throw notFound(name);
        }
        return Response.noContent().build();
    }

    static ApiException notFound(String domain) {
        return new ApiException(ErrorCode.DOMAIN_NOT_FOUND, "Domain " + domain + " does not exist here.");
    }
}
