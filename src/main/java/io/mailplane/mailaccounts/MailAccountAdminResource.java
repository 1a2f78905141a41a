package io.mailplane.mailaccounts;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.mailaccounts.MailAccountDtos.AdminView;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A user's external accounts as the context admin sees them, for offboarding: listed and
 * deleted, never with secrets. Answers {@code {"mailaccounts":[...]}}; deletions answer what
 * they deleted and are recorded in the audit log.
 */
@Path("/oxaas/v1/admin/contexts/{contextid}/users/{userid}/mailaccounts")
@Produces(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "External mail accounts")
public class MailAccountAdminResource {
    private final MailAccountAdminService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    @PathParam("userid")
    @Parameter(description = "user id")
    String userid;

    public MailAccountAdminResource(MailAccountAdminService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The user's external accounts", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MailAccountDtos.AdminList.class)))
    @Operation(operationId = "listUserMailAccounts", summary = "List a user's external mail accounts")
    public Map<String, List<AdminView>> list() {
        return view(service.listFor(caller.context(), userId()).orElseThrow(this::noUser));
    }

    @DELETE
    @APIResponse(responseCode = "200", description = "The deleted accounts", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MailAccountDtos.AdminList.class)))
    @Operation(operationId = "deleteUserMailAccounts", summary = "Delete all of a user's external mail accounts", description = "Answers the deleted accounts.")
    public Map<String, List<AdminView>> deleteAll() {
        return view(service.deleteFor(caller.context(), userId(), null).orElseThrow(this::noUser));
    }

    @DELETE
    @Path("{mailboxId}")
    @APIResponse(responseCode = "200", description = "The deleted account", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MailAccountDtos.AdminList.class)))
    @Operation(operationId = "deleteUserMailAccount", summary = "Delete one external mail account of a user", description = "Answers the deleted account.")
    public Map<String, List<AdminView>> delete(@PathParam("mailboxId") @Parameter(description = "the account's mailboxId") String mailboxId) {
        long id = Ids.positiveLong("mailboxId", mailboxId);
        List<MailAccount> deleted = service.deleteFor(caller.context(), userId(), id).orElseThrow(this::noUser);
        if (deleted.isEmpty()) {
            throw new ApiException(ErrorCode.MAIL_ACCOUNT_NOT_FOUND, "User " + userid + " has no external account " + id + ".");
        }
        return view(deleted);
    }

    private int userId() {
        return Ids.positiveInt("userid", userid);
    }

    private ApiException noUser() {
        return new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userid + " does not exist in this context.");
    }

    private static Map<String, List<AdminView>> view(List<MailAccount> accounts) {
        return Map.of("mailaccounts", accounts.stream().map(AdminView::of).toList());
    }
}
