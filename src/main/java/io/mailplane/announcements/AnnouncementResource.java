package io.mailplane.announcements;

import io.mailplane.announcements.AnnouncementDtos.AnnouncementView;
import io.mailplane.announcements.AnnouncementDtos.CreateAnnouncement;
import io.mailplane.announcements.AnnouncementDtos.UpdateAnnouncement;
import io.mailplane.common.Ids;
import io.mailplane.common.Paging;
import io.mailplane.common.Versions;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX's announcement administration. A reseller reaches the announcements its brand tree owns; another
X
 * reads them as JSON.
 */
@Path(AnnouncementResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(Scheme.RESELLER_ADMIN)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Announcements")
public class AnnouncementResource {
    static final String PATH = "/oxaas/v1/admin/announcements";

    private final AnnouncementService service;
    private final Caller caller;

    public AnnouncementResource(AnnouncementService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @APIResponse(responseCode = "201", description = "Created", headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag")},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AnnouncementView.class)))
    @Operation(operationId = "createAnnouncement", summary = "Create new announcement",
            description = "Owned by the caller's brand unless ownerBrand names one of its sub-brands (the master admin must name one);"
                    + " brands outside the owner's tree are 404 RESELLER_NOT_FOUND. A body without Content-Type is read as JSON (OX clients send none).")
    public Response create(@Valid @NotNull CreateAnnouncement body, @Context UriInfo uri) {
        AnnouncementView a = service.create(caller.treeRoot(), body);
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(a.id())).build())
                .tag(Versions.etag(a.version())).entity(a).build();
    }

    @GET
    @Operation(operationId = "listAnnouncements", summary = "List all announcements",
            description = "Those owned by the caller's brand and its sub-brands, by id, paged. OX clients may also call GET /oxaas/v1/admin/announcements/*.")
    public List<AnnouncementView> list(@Valid @BeanParam Paging paging) {
        return service.list(caller.treeRoot(), paging);
    }

    @GET
    @Path("*")
    @Operation(hidden = true) // OX clients' spelling of listAnnouncements
    public List<AnnouncementView> listAll(@Valid @BeanParam Paging paging) {
        return list(paging);
    }

    @GET
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "The announcement", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AnnouncementView.class)))
    @Operation(operationId = "getAnnouncement", summary = "Read an announcement")
    public Response get(@PathParam("id") @Parameter(description = "Announcement id") String id) {
        Announcement a = announcement(id);
        AnnouncementView view = service.view(a);
        return Versions.ok(view, view.version());
    }

    @PUT
    @Path("{id}")
    @APIResponse(responseCode = "200", description = "The updated announcement", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AnnouncementView.class)))
    @Operation(operationId = "updateAnnouncement", summary = "Update an existing announcement",
            description = "Fields present replace stored values (brands as a whole). A version in the body, like If-Match, must be the current one (412).")
    public Response update(@PathParam("id") @Parameter(description = "Announcement id") String id, @Valid @NotNull UpdateAnnouncement body,
                           @HeaderParam("If-Match") String ifMatch, @Context Request request) {
        Announcement current = announcement(id);
        AnnouncementView a = service.update(caller.treeRoot(), current.id, body, Versions.expected(request, ifMatch, current.version))
                .orElseThrow(() -> AnnouncementService.notFound(id));
        return Versions.ok(a, a.version());
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteAnnouncement", summary = "Delete an existing announcement", description = "Honours If-Match. Users' dismissals go with it.")
    public Response delete(@PathParam("id") @Parameter(description = "Announcement id") String id,
                           @HeaderParam("If-Match") String ifMatch, @Context Request request) {
        Announcement current = announcement(id);
        if (!service.delete(caller.treeRoot(), current.id, Versions.expected(request, ifMatch, current.version))) {
            throw AnnouncementService.notFound(id);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("enable/{id}")
    @APIResponse(responseCode = "200", description = "The announcement", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AnnouncementView.class)))
    @Operation(operationId = "enableAnnouncement", summary = "Enable an existing announcement", description = "Enabling an enabled one changes nothing. Honours If-Match.")
    public Response enable(@PathParam("id") @Parameter(description = "Announcement id") String id,
                           @HeaderParam("If-Match") String ifMatch, @Context Request request) {
        return setEnabled(id, true, ifMatch, request);
    }

    @PUT
    @Path("disable/{id}")
    @APIResponse(responseCode = "200", description = "The announcement", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AnnouncementView.class)))
    @Operation(operationId = "disableAnnouncement", summary = "Disable an existing announcement", description = "Disabling a disabled one changes nothing. Honours If-Match.")
    public Response disable(@PathParam("id") @Parameter(description = "Announcement id") String id,
                            @HeaderParam("If-Match") String ifMatch, @Context Request request) {
        return setEnabled(id, false, ifMatch, request);
    }

    private Response setEnabled(String id, boolean enabled, String ifMatch, Request request) {
        Announcement current = announcement(id);
        AnnouncementView a = service.setEnabled(caller.treeRoot(), current.id, enabled, Versions.expected(request, ifMatch, current.version))
                .orElseThrow(() -> AnnouncementService.notFound(id));
        return Versions.ok(a, a.version());
    }

    private Announcement announcement(String id) {
        return service.visible(caller.treeRoot(), Ids.positiveLong("id", id)).orElseThrow(() -> AnnouncementService.notFound(id));
    }

    /** The caller's tree: the master admin (with override) reaches all, a reseller its own brand and sub-brands. */
}
