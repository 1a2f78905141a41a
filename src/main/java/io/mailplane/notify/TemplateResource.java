package io.mailplane.notify;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.ExpectedVersion;
import io.mailplane.common.Versions;
import io.mailplane.directory.ResellerTree;
import io.mailplane.notify.NotificationDtos.Settings;
import io.mailplane.notify.NotificationDtos.SettingsView;
import io.mailplane.notify.NotificationDtos.TemplateBody;
import io.mailplane.notify.NotificationDtos.TemplateView;
import io.mailplane.notify.TemplateRenderer.Parts;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A brand's notification templates, managed by its reseller: one per kind and locale (subject,
 * text, optional HTML), in Qute syntax with the variables of {@link TemplateRenderer#VARIABLES}. A
 * brand without its own uses its parent brand's, then the built-in one. The master admin has no
 * brand (403), as for shared domains.
 */
@Path("/oxaas/v1/admin/notification/templates")
@Produces(MediaType.APPLICATION_JSON)
@Access(Scheme.RESELLER_ADMIN)
@SecurityRequirement(name = "resellerAdminAuth")
@Tag(name = "Notification")
public class TemplateResource {
    private static final String KIND = "welcome, overquota or spamdisabled";
    private static final String LOCALE = "a BCP 47 language tag: en, de, de-CH, ...";

    private final TemplateService service;
    private final ResellerTree tree;
    private final Caller caller;

    public TemplateResource(TemplateService service, ResellerTree tree, Caller caller) {
        this.service = service;
        this.tree = tree;
        this.caller = caller;
    }

    @GET
    @Path("{kind}/{locale}")
    @APIResponse(responseCode = "200", description = "The template mails of this kind and locale use for the caller's brand",
            headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TemplateView.class)))
    @Operation(operationId = "getNotificationTemplate", summary = "Read a notification template", description = "The brand's own"
            + " template (source brand, with an ETag), else the one its mails would use: a parent brand's (inherited) or the"
            + " built-in one (builtin), possibly of a fallback locale (the language alone, then en), which the answer names.")
    public Response get(@PathParam("kind") @Parameter(description = KIND) String kind,
                        @PathParam("locale") @Parameter(description = LOCALE) String locale) {
        NotificationKind k = NotificationKind.parse("kind", kind);
        String tag = TemplateLocale.canonical("locale", locale);
        long brand = brand();
        Optional<TemplateService.Resolved> own = service.own(brand, k, tag);
        if (own.isPresent()) {
            return Versions.ok(TemplateView.of(own.get()), own.get().version());
        }
        return Response.ok(TemplateView.of(service.resolve(k, lineage(brand), tag))).build();
    }

    @PUT
    @Path("{kind}/{locale}")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Stored", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TemplateView.class)))
    @Operation(operationId = "putNotificationTemplate", summary = "Create or replace a notification template", description = "Qute syntax:"
            + " {variable}, {variable ?: 'fallback'} and {#if variable}...{#else}...{/if}. Variables: display_name, login, address,"
            + " quota, usage, brand, brand_name, quota_threshold (empty where a mail has none). A template that does not parse,"
            + " uses another variable, a namespace or another section is refused (400), nothing stored. Values are HTML-escaped"
            + " in the html part. Honours If-Match.")
    public Response put(@PathParam("kind") @Parameter(description = KIND) String kind,
                        @PathParam("locale") @Parameter(description = LOCALE) String locale,
                        @Valid @NotNull TemplateBody body,
                        @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        NotificationKind k = NotificationKind.parse("kind", kind);
        String tag = TemplateLocale.canonical("locale", locale);
        long brand = brand();
        TemplateService.Resolved stored = service.put(brand, k, tag, new Parts(body.subject(), body.text(), body.html()),
                expected(brand, k, tag, ifMatch, request));
        return Versions.ok(TemplateView.of(stored), stored.version());
    }

    @DELETE
    @Path("{kind}/{locale}")
    @APIResponse(responseCode = "204", description = "Removed (or the brand had none)")
    @Operation(operationId = "deleteNotificationTemplate", summary = "Remove a notification template", description = "The brand's"
            + " mails use the inherited or built-in template again. Honours If-Match.")
    public Response delete(@PathParam("kind") @Parameter(description = KIND) String kind,
                           @PathParam("locale") @Parameter(description = LOCALE) String locale,
                           @HeaderParam("If-Match") String ifMatch, @jakarta.ws.rs.core.Context Request request) {
        NotificationKind k = NotificationKind.parse("kind", kind);
        String tag = TemplateLocale.canonical("locale", locale);
        long brand = brand();
        service.delete(brand, k, tag, expected(brand, k, tag, ifMatch, request));
        return Response.noContent().build();
    }

    @GET
    @Path("default-locale")
    @Operation(operationId = "getNotificationDefaultLocale", summary = "Read the brand's default locale", description = "The locale"
            + " of the brand's users' mails: the brand's own (source brand), its nearest parent brand's (inherited), else en (builtin).")
    public SettingsView defaultLocale() {
        TemplateService.DefaultLocale found = service.defaultLocale(lineage(brand()));
        return new SettingsView(found.locale(), found.source());
    }

    @PUT
    @Path("default-locale")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setNotificationDefaultLocale", summary = "Set the brand's default locale",
            description = "Users have no language of their own: their mails are in their brand's default locale.")
    public SettingsView setDefaultLocale(@Valid @NotNull Settings body) {
        String tag = TemplateLocale.canonical("default_locale", body.default_locale());
        long brand = brand();
        service.setDefaultLocale(brand, tag);
        return new SettingsView(tag, TemplateService.BRAND);
    }

    /** What a write expects: checked against the brand's own template; If-Match on one it does not have fails. */
    private ExpectedVersion expected(long brand, NotificationKind kind, String locale, String ifMatch, Request request) {
        Optional<TemplateService.Resolved> own = service.own(brand, kind, locale);
        if (own.isPresent()) {
            return Versions.expected(request, ifMatch, own.get().version());
        }
        if (ifMatch != null && !ifMatch.isBlank()) {
            throw new ApiException(ErrorCode.PRECONDITION_FAILED, "The brand has no " + kind.wire + " template in " + locale + " to match.");
        }
        return ExpectedVersion.ANY;
    }

    private List<Long> lineage(long brand) {
        return tree.lineageIds(brand);
    }

    /** Templates belong to a brand; the master admin has none. */
    private long brand() {
        if (!caller.isReseller()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Notification templates belong to a brand; sign in as its reseller.");
        }
        return caller.account().resellerId();
    }
}
