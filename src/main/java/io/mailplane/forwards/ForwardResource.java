package io.mailplane.forwards;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX "Forwards": forwarding aliases of a context. An alias lives on a domain of the context
 * (or a shared domain of its brand), is no user's address and never forwards to itself.
 */
@Path("/oxaas/v1/admin/forwards/{contextid}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Forwards")
public class ForwardResource {
    /** The listing's type, as Jackson's writer names it for a map. */
    private static final String JSON_UTF8 = MediaType.APPLICATION_JSON + ";charset=UTF-8";
    private final ForwardService service;
    private final Caller caller;

    @PathParam("contextid")
    String contextid;

    public ForwardResource(ForwardService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @APIResponse(responseCode = "200", description = "OK", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, additionalProperties = String[].class)))
    @Operation(operationId = "listForwards", summary = "get the forwarding Aliases in a Context", description = "An object alias → recipients, in alias order; all aliases unless limit/offset page them.")
    public Response all(@QueryParam("limit") @Pattern(regexp = "0*([1-9][0-9]{0,5}|1000000)", message = "must be a whole number from 1 to 1000000")
                        @Parameter(description = "aliases per page (default: all)", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "1000000")) String limit,
                        @QueryParam("offset") @DefaultValue("0") @Pattern(regexp = "[0-9]{1,9}", message = "must be a whole number from 0 to 999999999") @Parameter(description = "aliases to skip", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "0", maximum = "999999999", defaultValue = "0")) String offset) {
        // tenant, paging and the read itself come first: any refusal or failure is a problem response
        ForwardListing page = service.all(caller.context(), limit == null ? service.maxAliases() : Integer.parseInt(limit), Integer.parseInt(offset));
        return Response.ok(page, JSON_UTF8).build();
    }

    @DELETE
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteAllForwards", summary = "delete all forwarding Aliases in a context")
    public Response deleteAll() {
        service.deleteAll(caller.context());
        return Response.noContent().build();
    }

    @GET
    @Path("{alias}")
    @APIResponse(responseCode = "200", description = "The alias's recipients", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Recipients.Addresses.class)))
    @Operation(operationId = "getForward", summary = "get the forwarding Alias", description = "The alias's recipients.")
    public List<String> get(@PathParam("alias") String alias) {
        return service.get(caller.context(), alias).orElseThrow(() -> notFound(alias));
    }

    @HEAD
    @Path("{alias}")
    @APIResponse(responseCode = "200", description = "The alias exists")
    @Operation(operationId = "forwardExists", summary = "check if the alias exists", description = "200 when it exists, 404 otherwise.")
    public Response exists(@PathParam("alias") String alias) {
        service.get(caller.context(), alias).orElseThrow(() -> notFound(alias));
        return Response.ok().build();
    }

    @PUT
    @Path("{alias}")
    @APIResponse(responseCode = "201", description = "Created; the recipients", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Recipients.Addresses.class)))
    @APIResponse(responseCode = "200", description = "Replaced; the recipients", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Recipients.Addresses.class)))
    @Operation(operationId = "putForward", summary = "create a forwarding alias or completely replace it", description = "201 when created, 200 when replaced; answers the recipients.")
    public Response replace(@PathParam("alias") String alias, @NotNull Recipients body) {
        ForwardService.Outcome outcome = service.replace(caller.context(), alias, body.values());
        return Response.status(outcome.created() ? 201 : 200).entity(outcome.recipients()).build();
    }

    @POST
    @Path("{alias}")
    @APIResponse(responseCode = "201", description = "The alias was created or recipients were added; the recipients", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Recipients.Addresses.class)))
    @APIResponse(responseCode = "204", description = "Nothing changed")
    @Operation(operationId = "addForwardRecipients", summary = "add the given recipient(s) to the existing ones", description = "Creates the alias when needed. 201 (with the recipients) when the alias was created or anything was added, 204 when nothing changed.")
    public Response add(@PathParam("alias") String alias, @NotNull Recipients body) {
        ForwardService.Outcome outcome = service.add(caller.context(), alias, body.values());
        return outcome.created() || outcome.added() > 0
                ? Response.status(201).entity(outcome.recipients()).build()
                : Response.noContent().build();
    }

    @DELETE
    @Path("{alias}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteForward", summary = "delete the forwarding Alias")
    public Response delete(@PathParam("alias") String alias) {
        if (!service.remove(caller.context(), alias)) {
            throw notFound(alias);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{alias}/{recipient}")
    @APIResponse(responseCode = "200", description = "The recipient is one of the alias", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Recipients.Single.class)))
    @Operation(operationId = "getForwardRecipient", summary = "check if a recipient for an alias exists", description = "200 {\"recipient\":...} when it does, 404 otherwise.")
    public Map<String, String> getRecipient(@PathParam("alias") String alias, @PathParam("recipient") String recipient) {
        if (!service.hasRecipient(caller.context(), alias, recipient)) {
            throw recipientNotFound(alias, recipient);
        }
        return Map.of("recipient", recipient);
    }

    @HEAD
    @Path("{alias}/{recipient}")
    @APIResponse(responseCode = "200", description = "The recipient is one of the alias")
    @Operation(operationId = "forwardRecipientExists", summary = "check if a recipient for an alias exists (HEAD)")
    public Response hasRecipient(@PathParam("alias") String alias, @PathParam("recipient") String recipient) {
        getRecipient(alias, recipient);
        return Response.ok().build();
    }

    @DELETE
    @Path("{alias}/{recipient}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteForwardRecipient", summary = "delete the recipient of an alias", description = "The alias goes with its last recipient.")
    public Response deleteRecipient(@PathParam("alias") String alias, @PathParam("recipient") String recipient) {
        service.removeRecipient(caller.context(), alias, recipient).orElseThrow(() -> recipientNotFound(alias, recipient));
        return Response.noContent().build();
    }

    private static ApiException notFound(String alias) {
        return new ApiException(ErrorCode.FORWARD_NOT_FOUND, "Alias " + alias + " does not exist in this context.");
    }

    private static ApiException recipientNotFound(String alias, String recipient) {
        return new ApiException(ErrorCode.RECIPIENT_NOT_FOUND, "Alias " + alias + " has no recipient " + recipient + ".");
    }
}
