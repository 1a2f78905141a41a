package io.mailplane.lists;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.lists.ListService.Kind;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX "Black And White Lists" of a user: {@code {"blacklist":[...]}} / {@code {"whitelist":[...]}}.
 * Entries are addresses, {@code *@domain} or domains; at most 1,000 per list (configurable).
 */
// The class path of UserResource, so that RESTEasy maps all three in one table: with "/users/{userid}"
// here, every GET .../users/{uid} first matched this class, found no method, and built a new request
// mapper to try the next class (on every request).
@Path("/oxaas/v1/admin/contexts/{contextid}/users")
@Produces(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Black And White Lists")
public class ListResource {
    private final ListService service;
    private final Caller caller;

    @PathParam("contextid")
    String contextid;

    @PathParam("userid")
    String userid;

    public ListResource(ListService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("{userid}/blacklist")
    @APIResponse(responseCode = "200", description = "The blacklist", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ListDtos.Blacklist.class)))
    @Operation(operationId = "getBlacklist", summary = "Get the blacklist for user")
    public Map<String, List<String>> blacklist() {
        return entries(Kind.BLACKLIST, null);
    }

    @DELETE
    @Path("{userid}/blacklist")
    @APIResponse(responseCode = "204", description = "Cleared")
    @Operation(operationId = "clearBlacklist", summary = "Delete the blacklist for user")
    public Response clearBlacklist() {
        return clear(Kind.BLACKLIST);
    }

    @GET
    @Path("{userid}/blacklist/{entry}")
    @APIResponse(responseCode = "200", description = "The matching entries", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ListDtos.Blacklist.class)))
    @Operation(operationId = "filterBlacklist", summary = "Get the filtered blacklist for user", description = "Entries matching {entry} as a whole, where * in it stands for any characters.")
    public Map<String, List<String>> filteredBlacklist(@PathParam("entry") String filter) {
        return entries(Kind.BLACKLIST, filter);
    }

    @PUT
    @Path("{userid}/blacklist/{entry}")
    @APIResponse(responseCode = "200", description = "The blacklist", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ListDtos.Blacklist.class)))
    @Operation(operationId = "addBlacklistEntry", summary = "Add blacklist entry for user", description = "Adding an entry that is listed already changes nothing. Answers the list.")
    public Map<String, List<String>> addToBlacklist(@PathParam("entry") String value) {
        return add(Kind.BLACKLIST, value);
    }

    @DELETE
    @Path("{userid}/blacklist/{entry}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteBlacklistEntry", summary = "Delete blacklist entry for user")
    public Response removeFromBlacklist(@PathParam("entry") String value) {
        return remove(Kind.BLACKLIST, value);
    }

    @GET
    @Path("{userid}/whitelist")
    @APIResponse(responseCode = "200", description = "The whitelist", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ListDtos.Whitelist.class)))
    @Operation(operationId = "getWhitelist", summary = "Get the whitelist for user")
    public Map<String, List<String>> whitelist() {
        return entries(Kind.WHITELIST, null);
    }

    @DELETE
    @Path("{userid}/whitelist")
    @APIResponse(responseCode = "204", description = "Cleared")
    @Operation(operationId = "clearWhitelist", summary = "Delete the whitelist for user")
    public Response clearWhitelist() {
        return clear(Kind.WHITELIST);
    }

    @GET
    @Path("{userid}/whitelist/{entry}")
    @APIResponse(responseCode = "200", description = "The matching entries", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ListDtos.Whitelist.class)))
    @Operation(operationId = "filterWhitelist", summary = "Get the filtered whitelist for user", description = "Entries matching {entry} as a whole, where * in it stands for any characters.")
    public Map<String, List<String>> filteredWhitelist(@PathParam("entry") String filter) {
        return entries(Kind.WHITELIST, filter);
    }

    @PUT
    @Path("{userid}/whitelist/{entry}")
    @APIResponse(responseCode = "200", description = "The whitelist", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ListDtos.Whitelist.class)))
    @Operation(operationId = "addWhitelistEntry", summary = "Add whitelist entry for user", description = "Adding an entry that is listed already changes nothing. Answers the list.")
    public Map<String, List<String>> addToWhitelist(@PathParam("entry") String value) {
        return add(Kind.WHITELIST, value);
    }

    @DELETE
    @Path("{userid}/whitelist/{entry}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteWhitelistEntry", summary = "Delete whitelist entry for user")
    public Response removeFromWhitelist(@PathParam("entry") String value) {
        return remove(Kind.WHITELIST, value);
    }

    private Map<String, List<String>> entries(Kind kind, String filter) {
        return Map.of(kind.wireName(), found(service.entries(caller.context(), userId(), kind, filter)));
    }

    private Map<String, List<String>> add(Kind kind, String value) {
        return Map.of(kind.wireName(), found(service.add(caller.context(), userId(), kind, value)));
    }

    private Response remove(Kind kind, String value) {
        found(service.remove(caller.context(), userId(), kind, value));
        return Response.noContent().build();
    }

    private Response clear(Kind kind) {
        found(service.clear(caller.context(), userId(), kind));
        return Response.noContent().build();
    }

    private int userId() {
        return Ids.positiveInt("userid", userid);
    }

    private <T> T found(Optional<T> result) {
        return result.orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userid + " does not exist in this context."));
    }
}
