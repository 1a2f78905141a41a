package io.mailplane.users;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Ids;
import io.mailplane.security.Access;
import io.mailplane.security.Caller;
import io.mailplane.security.Scheme;
import io.mailplane.users.AttributeDtos.AntiPhishing;
import io.mailplane.users.AttributeDtos.Antivirus;
import io.mailplane.users.AttributeDtos.Change;
import io.mailplane.users.AttributeDtos.ClassOfService;
import io.mailplane.users.AttributeDtos.Custom;
import io.mailplane.users.AttributeDtos.DeliveryStatus;
import io.mailplane.users.AttributeDtos.LegacyRef;
import io.mailplane.users.AttributeDtos.MsisdnValue;
import io.mailplane.users.AttributeDtos.Quotamode;
import io.mailplane.users.AttributeDtos.Spamlevel;
import io.mailplane.users.AttributeDtos.Uidname;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OX Cloud-Plugins per-user attributes under {@code .../users/{userid}/}. PUT and DELETE answer
 * the user summary; GET of an unset attribute is 404 {@code ATTRIBUTE_NOT_SET} (an unknown
 * user is 404 {@code USER_NOT_FOUND}); an unset spamlevel reads as {@code ""} (OX), an unset
 * quotamode as {@code "default"}.
 */
// The class path of UserResource, so that RESTEasy maps all three in one table: with "/users/{userid}"
// here, every GET .../users/{uid} first matched this class, found no method, and built a new request
// mapper to try the next class (on every request).
@Path("/oxaas/v1/admin/contexts/{contextid}/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access(value = Scheme.CONTEXT_ADMIN, context = Access.CONTEXT_ID)
@SecurityRequirement(name = "contextAdminAuth")
@Tag(name = "Admin")
public class UserAttributeResource {
    private final UserAttributeService service;
    private final Caller caller;

    @PathParam("contextid")
    @Parameter(description = "context id or name")
    String contextid;

    @PathParam("userid")
    @Parameter(description = "user id")
    String userid;

    public UserAttributeResource(UserAttributeService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("{userid}")
    @Operation(operationId = "changeUserAttributes", summary = "Change msisdn, oxdeliverystatus and custom at once", description = "One transaction; an empty string (or empty list) removes the attribute.")
    public UserSummary change(@Valid @NotNull Change body) {
        return found(service.change(caller.context(), userId(), body));
    }

    @GET
    @Path("{userid}/custom")
    @Operation(operationId = "getUserCustom", summary = "get custom name of user")
    public Custom getCustom() {
        return new Custom(get(Attribute.CUSTOM));
    }

    @PUT
    @Path("{userid}/custom")
    @Operation(operationId = "setUserCustom", summary = "change custom id(s)", description = "Replaces the user's custom ids (at most 50).")
    public UserSummary putCustom(@Valid @NotNull Custom body) {
        return set(Attribute.CUSTOM, body.custom());
    }

    @DELETE
    @Path("{userid}/custom")
    @Operation(operationId = "deleteUserCustom", summary = "delete custom id(s)")
    public UserSummary deleteCustom() {
        return clear(Attribute.CUSTOM);
    }

    @GET
    @Path("{userid}/msisdn")
    @Operation(operationId = "getUserMsisdn", summary = "get msisdn of user")
    public MsisdnValue getMsisdn() {
        return new MsisdnValue(get(Attribute.MSISDN));
    }

    @PUT
    @Path("{userid}/msisdn")
    @Operation(operationId = "setUserMsisdn", summary = "change msisdn", description = "+ and 8-15 digits, optionally separated by '.', '-' or spaces; stored as given, searchable by its digits.")
    public UserSummary putMsisdn(@Valid @NotNull MsisdnValue body) {
        return set(Attribute.MSISDN, body.msisdn());
    }

    @DELETE
    @Path("{userid}/msisdn")
    @Operation(operationId = "deleteUserMsisdn", summary = "delete msisdn")
    public UserSummary deleteMsisdn() {
        return clear(Attribute.MSISDN);
    }

    @GET
    @Path("{userid}/classofservice")
    @Operation(operationId = "getUserClassOfService", summary = "get class of service")
    public ClassOfService getClassOfService() {
        return new ClassOfService(get(Attribute.CLASSOFSERVICE));
    }

    @PUT
    @Path("{userid}/classofservice")
    @Operation(operationId = "setUserClassOfService", summary = "change class of service", description = "A non-empty list of allowed classes of service.")
    public UserSummary putClassOfService(@Valid @NotNull ClassOfService body) {
        return set(Attribute.CLASSOFSERVICE, body.classofservice());
    }

    @DELETE
    @Path("{userid}/classofservice")
    @Operation(operationId = "deleteUserClassOfService", summary = "delete class of service")
    public UserSummary deleteClassOfService() {
        return clear(Attribute.CLASSOFSERVICE);
    }

    @GET
    @Path("{userid}/oxdeliverystatus")
    @Operation(operationId = "getUserDeliveryStatus", summary = "get the oxdeliverystatus", description = "The user's migration status.")
    public DeliveryStatus getDeliveryStatus() {
        return new DeliveryStatus(get(Attribute.OXDELIVERYSTATUS));
    }

    @PUT
    @Path("{userid}/oxdeliverystatus")
    @Operation(operationId = "setUserDeliveryStatus", summary = "change the oxdeliverystatus")
    public UserSummary putDeliveryStatus(@Valid @NotNull DeliveryStatus body) {
        return set(Attribute.OXDELIVERYSTATUS, body.oxdeliverystatus());
    }

    @DELETE
    @Path("{userid}/oxdeliverystatus")
    @Operation(operationId = "deleteUserDeliveryStatus", summary = "delete the oxdeliverystatus")
    public UserSummary deleteDeliveryStatus() {
        return clear(Attribute.OXDELIVERYSTATUS);
    }

    @GET
    @Path("{userid}/oxlegacyref")
    @Operation(operationId = "getUserLegacyRef", summary = "get the oxlegacyref")
    public LegacyRef getLegacyRef() {
        return new LegacyRef(get(Attribute.OXLEGACYREF));
    }

    @PUT
    @Path("{userid}/oxlegacyref")
    @Operation(operationId = "setUserLegacyRef", summary = "change the oxlegacyref")
    public UserSummary putLegacyRef(@Valid @NotNull LegacyRef body) {
        return set(Attribute.OXLEGACYREF, body.oxlegacyref());
    }

    @DELETE
    @Path("{userid}/oxlegacyref")
    @Operation(operationId = "deleteUserLegacyRef", summary = "delete the oxlegacyref")
    public UserSummary deleteLegacyRef() {
        return clear(Attribute.OXLEGACYREF);
    }

    @GET
    @Path("{userid}/oxantiphishing")
    @Operation(operationId = "getUserAntiPhishing", summary = "get the oxantiphishing setting")
    public AntiPhishing getAntiPhishing() {
        return new AntiPhishing(get(Attribute.OXANTIPHISHING));
    }

    @PUT
    @Path("{userid}/oxantiphishing")
    @Operation(operationId = "setUserAntiPhishing", summary = "change the oxantiphishing setting")
    public UserSummary putAntiPhishing(@Valid @NotNull AntiPhishing body) {
        return set(Attribute.OXANTIPHISHING, body.oxantiphishing());
    }

    @DELETE
    @Path("{userid}/oxantiphishing")
    @Operation(operationId = "deleteUserAntiPhishing", summary = "delete the oxantiphishing setting")
    public UserSummary deleteAntiPhishing() {
        return clear(Attribute.OXANTIPHISHING);
    }

    @GET
    @Path("{userid}/uidname")
    @Operation(operationId = "getUserUidname", summary = "get uidname of user")
    public Uidname getUidname() {
        return new Uidname(get(Attribute.UIDNAME));
    }

    @PUT
    @Path("{userid}/uidname")
    @Operation(operationId = "setUserUidname", summary = "change uidname", description = "The login stays unique platform-wide (409 USER_EXISTS); the old login stops working at once.")
    public UserSummary putUidname(@Valid @NotNull Uidname body) {
        return set(Attribute.UIDNAME, body.uidname());
    }

    @GET
    @Path("{userid}/antivirus")
    @Operation(operationId = "getUserAntivirus", summary = "get the antivirus state")
    public Antivirus getAntivirus() {
        return new Antivirus(get(Attribute.ANTIVIRUS));
    }

    @PUT
    @Path("{userid}/antivirus")
    @Operation(operationId = "setUserAntivirus", summary = "Change antivirus state", description = "A JSON boolean.")
    public UserSummary putAntivirus(@Valid @NotNull Antivirus body) {
        return set(Attribute.ANTIVIRUS, body.antivirus());
    }

    @GET
    @Path("{userid}/spamlevel")
    @Operation(operationId = "getUserSpamlevel", summary = "get the spamlevel", description = "\"\" when not set (OX).")
    public Spamlevel getSpamlevel() {
        String level = (String) found(service.read(caller.context(), userId())).value(Attribute.SPAMLEVEL);
        return new Spamlevel(level == null ? "" : level);
    }

    @PUT
    @Path("{userid}/spamlevel")
    @Operation(operationId = "setUserSpamlevel", summary = "change the spamlevel", description = "low, medium or high.")
    public UserSummary putSpamlevel(@Valid @NotNull Spamlevel body) {
        return set(Attribute.SPAMLEVEL, body.spamlevel());
    }

    @DELETE
    @Path("{userid}/spamlevel")
    @Operation(operationId = "deleteUserSpamlevel", summary = "delete the spamlevel")
    public UserSummary deleteSpamlevel() {
        return clear(Attribute.SPAMLEVEL);
    }

    @GET
    @Path("{userid}/quotamode")
    @Operation(operationId = "getUserQuotamode", summary = "get the quota mode", description = "Every user has one: \"default\" until it is set.")
    public Quotamode getQuotamode() {
        String mode = (String) found(service.read(caller.context(), userId())).value(Attribute.QUOTAMODE);
        return new Quotamode(mode == null ? Quotamode.DEFAULT : mode);
    }

    @PUT
    @Path("{userid}/quotamode")
    @Operation(operationId = "setUserQuotamode", summary = "change the quota mode", description = "unified or default.")
    public UserSummary putQuotamode(@Valid @NotNull Quotamode body) {
        return set(Attribute.QUOTAMODE, body.quotamode());
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Attribute attribute) {
        Object value = found(service.read(caller.context(), userId())).value(attribute);
        if (value == null) {
            throw new ApiException(ErrorCode.ATTRIBUTE_NOT_SET,
                    "User " + userid + " has no " + attribute.wireName() + ".");
        }
        return (T) value;
    }

    private UserSummary set(Attribute attribute, Object value) {
        return found(service.set(caller.context(), userId(), attribute, value instanceof List<?> l ? List.copyOf(l) : value));
    }

    private UserSummary clear(Attribute attribute) {
        return found(service.clear(caller.context(), userId(), attribute));
    }

    private int userId() {
        return Ids.positiveInt("userid", userid);
    }

    private <T> T found(java.util.Optional<T> result) {
        return result.orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND,
                "User " + userid + " does not exist in this context."));
    }
}
