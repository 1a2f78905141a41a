package io.mailplane.users;

import io.mailplane.common.ApiException;
import io.mailplane.common.Paging;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.users.UserSearchService.Field;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/oxaas/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.RESELLER_ADMIN)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Admin")
public class UserSearchResource {
    private final UserSearchService service;
    private final Caller caller;

    public UserSearchResource(UserSearchService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "searchUsers", summary = "search for users using given query parameters",
            description = "Exact match (case-insensitive), or a prefix match when search ends in *. MSISDN searches compare digits only. Only users of the caller's brand tree.")
    public List<UserSummary> search(
            @QueryParam("search") @NotNull @Size(min = 1, max = 254) @Parameter(description = "string to search for", required = true) String search,
            @QueryParam("field") @DefaultValue("ANY")
            @Parameter(description = "field to search into", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"UIDNAME", "MSISDN", "OXDELIVERYSTATUS", "CUSTOM", "ANY"})) String field,
            @Valid @BeanParam Paging paging) {
        Long scope = caller.treeRoot();
        return service.search(search, field(field), scope, paging);
    }

    private static Field field(String raw) {
        try {
            return Field.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("field", "must be one of " + Arrays.toString(Field.values()));
        }
    }
}
