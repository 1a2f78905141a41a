package io.mailplane.announcements;

import io.mailplane.announcements.AnnouncementDtos.UserAnnouncement;
import io.mailplane.common.Ids;
import io.mailplane.security.Access;
import io.mailplane.security.Account;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What an end user sees of announcements: those active now for their brand, and dismissing one. */
@Path("/oxaas/v1/announcements")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.USER)
@SecurityRequirement(name = "basicAuth")
@Tag(name = "Announcements")
public class UserAnnouncementResource {
    private final AnnouncementService service;
    private final Caller caller;
    public UserAnnouncementResource(AnnouncementService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listActiveAnnouncements", summary = "Announcements to show the signed-in user now",
            description = "Enabled, with the current instant in [startDatetime, endDatetime) (wall-clock times in the announcement's"
                    + " time zone), targeting the user's brand or one of its ancestors, and not dismissed by the user;"
                    + " earliest start first, at most 1,000.")
    public List<UserAnnouncement> active() {
        Account user = caller.account();
        return service.activeFor(user.resellerId(), user.userPk());
    }

    @POST
    @Path("{id}/dismiss")
    @APIResponse(responseCode = "204", description = "Dismissed: the user no longer sees it")
    @Operation(operationId = "dismissAnnouncement", summary = "Dismiss an announcement for the signed-in user",
            description = "Only a discardable announcement the user sees now (dismissing it again is no error);"
                    + " 409 ANNOUNCEMENT_NOT_DISCARDABLE for one that is not; 404 for any other id. Other users still see it.")
    public Response dismiss(@PathParam("id") @Parameter(description = "Announcement id") String id) {
        Account user = caller.account();
        service.dismiss(user.resellerId(), user.userPk(), Ids.positiveLong("id", id));
        return Response.noContent().build();
    }
}
