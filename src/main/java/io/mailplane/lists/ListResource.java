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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX "Black And White Lists" of a user: {@code {"blacklist":[...]}} / {@code {"whitelist":[...]}}.
 * Entries are addresses, {@code *@domain} or domains; at most 1,000 per list (configurable).
 */
@Path("/oxaas/v1/admin/contexts/{contextid}/users/{userid}")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.CONTEXT_ADMIN)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Black And White Lists")
public class ListResource {
    private final ListService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    @PathParam("userid")
    @Parameter(description = "user id")
    String userid;

    public ListResource(ListService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("blacklist")
    @Operation(summary = "Get the blacklist for user")
    public Map<String, List<String>> blacklist() {
        return entries(Kind.BLACKLIST, null);
    }

    @DELETE
    @Path("blacklist")
    @Operation(summary = "Delete the blacklist for user")
    public Response clearBlacklist() {
        return clear(Kind.BLACKLIST);
    }

    @GET
    @Path("blacklist/{filter}")
    @Operation(summary = "Get the filtered blacklist for user", description = "Entries matching the filter as a whole; * stands for any characters.")
    public Map<String, List<String>> filteredBlacklist(@PathParam("filter") @Parameter(description = "the blacklist filter which can contain wildcard *") String filter) {
        return entries(Kind.BLACKLIST, filter);
    }

    @PUT
    @Path("blacklist/{value}")
    @Operation(summary = "Add blacklist entry for user", description = "Adding an entry that is listed already changes nothing. Answers the list.")
    public Map<String, List<String>> addToBlacklist(@PathParam("value") @Parameter(description = "entry to add") String value) {
        return add(Kind.BLACKLIST, value);
    }

    @DELETE
    @Path("blacklist/{value}")
    @Operation(summary = "Delete blacklist entry for user")
    public Response removeFromBlacklist(@PathParam("value") @Parameter(description = "entry to delete") String value) {
        return remove(Kind.BLACKLIST, value);
    }

    @GET
    @Path("whitelist")
    @Operation(summary = "Get the whitelist for user")
    public Map<String, List<String>> whitelist() {
        return entries(Kind.WHITELIST, null);
    }

    @DELETE
    @Path("whitelist")
    @Operation(summary = "Delete the whitelist for user")
    public Response clearWhitelist() {
        return clear(Kind.WHITELIST);
    }

    @GET
    @Path("whitelist/{filter}")
    @Operation(summary = "Get the filtered whitelist for user", description = "Entries matching the filter as a whole; * stands for any characters.")
    public Map<String, List<String>> filteredWhitelist(@PathParam("filter") @Parameter(description = "the whitelist filter which can contain wildcard *") String filter) {
        return entries(Kind.WHITELIST, filter);
    }

    @PUT
    @Path("whitelist/{value}")
    @Operation(summary = "Add whitelist entry for user", description = "Adding an entry that is listed already changes nothing. Answers the list.")
    public Map<String, List<String>> addToWhitelist(@PathParam("value") @Parameter(description = "entry to add") String value) {
        return add(Kind.WHITELIST, value);
    }

    @DELETE
    @Path("whitelist/{value}")
    @Operation(summary = "Delete whitelist entry for user")
    public Response removeFromWhitelist(@PathParam("value") @Parameter(description = "entry to delete") String value) {
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
