package io.mailplane.secondary;

import io.mailplane.common.ApiException;
import io.mailplane.common.Ids;
import io.mailplane.common.Paging;
import io.mailplane.secondary.SecondaryDtos.CreateSecondary;
import io.mailplane.secondary.SecondaryDtos.SecondaryGrant;
import io.mailplane.secondary.SecondaryDtos.SecondaryEntry;
import io.mailplane.secondary.SecondaryDtos.SecondaryUpdate;
import io.mailplane.secondary.SecondaryDtos.UpdateSecondary;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX secondary mail accounts of a context ({@code createsecondaryaccount}, {@code updatesecondaryaccount},
 * {@code deletesecondaryaccount}, {@code listsecondaryaccount}), keyed by the account's primary address.
 */
@Path("/oxaas/v1/admin/contexts/{contextid}/secondaryaccounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Provisioning")
public class SecondaryResource {
    public static final String TEXT_CSV = "text/csv";
    /** OX's {@code listsecondaryaccount --csv} columns. */
    static final String[] CSV_COLUMNS = {"context-id", "user-id", "account-id", "primary-address", "name", "login",
            "mail-server-URI", "transport-login", "transport-server-URI"};
    private static final String ID_LIST = "[0-9, ]*";

    private final SecondaryService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    public SecondaryResource(SecondaryService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
    @APIResponse(responseCode = "201", description = "Granted to at least one user who did not have it (holders' entries updated)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SecondaryGrant.class)))
    @APIResponse(responseCode = "200", description = "Every targeted user had it already: their entries were updated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SecondaryGrant.class)))
    @Operation(operationId = "createSecondaryAccount", summary = "Create or grant a secondary account",
            description = "Grants the account to users and groups (resolved to their members now; group 0 = every user of the context)."
                    + " A user who has it already gets the entry updated. For an existing address, absent properties are kept."
                    + " One unknown user or group id: nothing changes.")
    public Response create(@Valid @NotNull CreateSecondary body) {
        SecondaryGrant r = service.grant(caller.context(), body);
        return Response.status(r.granted() > 0 ? 201 : 200).entity(r).build();
    }

    @PUT
    @Path("{primaryAddress}")
    @Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
    @APIResponse(responseCode = "200", description = "Entries updated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SecondaryUpdate.class)))
    @Operation(operationId = "updateSecondaryAccount", summary = "Update a secondary account's properties",
            description = "Properties present replace stored ones, on the entries of the given users/groups, or of every holder."
                    + " Never adds or removes a user.")
    public SecondaryUpdate update(@PathParam("primaryAddress") @Parameter(description = "the secondary account's primary address") String primaryAddress, @Valid @NotNull UpdateSecondary body) {
        return service.update(caller.context(), primaryAddress, body);
    }

    @DELETE
    @Path("{primaryAddress}")
    @Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
    @APIResponse(responseCode = "204", description = "Revoked")
    @Operation(operationId = "deleteSecondaryAccount", summary = "Revoke a secondary account from users and groups",
            description = "Group 0 revokes it from everybody. One unknown user or group id: nothing changes.")
    public Response delete(@PathParam("primaryAddress") @Parameter(description = "the secondary account's primary address") String primaryAddress,
                           @QueryParam("users") @Pattern(regexp = ID_LIST, message = "must be comma-separated user ids")
                           @Parameter(description = "comma-separated user ids", example = "3,4") String users,
                           @QueryParam("groups") @Pattern(regexp = ID_LIST, message = "must be comma-separated group ids")
                           @Parameter(description = "comma-separated group ids; 0 = every user", example = "9") String groups) {
        service.revoke(caller.context(), primaryAddress, ids("users", users), ids("groups", groups));
        return Response.noContent().build();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
    @Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
    @APIResponse(responseCode = "200", description = "Entries by address and user id: JSON, one page; CSV (Accept: text/csv), every matching entry, streamed",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = SecondaryEntry.class)),
                    @Content(mediaType = TEXT_CSV, schema = @Schema(type = SchemaType.STRING))})
    @Operation(operationId = "listSecondaryAccounts", summary = "List secondary accounts",
            description = "Never shows a password. CSV has OX's columns context-id, user-id, account-id, primary-address, name, login,"
                    + " mail-server-URI, transport-login, transport-server-URI and ignores paging.")
    public Response list(@QueryParam("primaryAddress") @Size(max = 254) @Parameter(description = "only this address") String primaryAddress,
                         @QueryParam("userId") @Parameter(description = "only this user's entries",
                                 schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1")) String userId,
                         @Valid @BeanParam Paging paging,
                         @jakarta.ws.rs.core.Context HttpHeaders headers) {
        Integer uid = userId == null ? null : Ids.positiveInt("userId", userId);
        if (!wantsCsv(headers)) {
            return Response.ok(service.list(caller.context(), primaryAddress, uid, paging), MediaType.APPLICATION_JSON_TYPE).build();
        }
        List<SecondaryEntry> rows = service.list(caller.context(), primaryAddress, uid, null);
        StreamingOutput csv = out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS).get())) {
                for (SecondaryEntry e : rows) {
                    p.printRecord(e.contextId(), e.userId(), e.accountId(), e.primaryAddress(), e.name(), e.login(),
                            e.mailServerUri(), e.transportLogin(), e.transportServerUri());
                }
            }
        };
        return Response.ok(csv, TEXT_CSV + ";charset=UTF-8").build();
    }

    /** CSV when the caller's most preferred acceptable type is text/csv; JSON otherwise (also for no Accept). */
    private static boolean wantsCsv(HttpHeaders headers) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (m.getType().equalsIgnoreCase("text") && m.getSubtype().equalsIgnoreCase("csv")) {
                return true;
            }
        }
        return false;
    }

    private static List<Integer> ids(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(raw.split(",")).map(String::trim).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be comma-separated ids");
        }
    }
}
