package io.mailplane.users;

import io.mailplane.directory.MailUser;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The OX user summary: {@code context-id}, {@code user-id}, {@code uidname} and whichever
 * attributes the answer is about. Attributes left {@code null} are not written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "UserSummary", requiredProperties = {"context-id", "user-id", "uidname"})
public record UserSummary(@JsonProperty("context-id") long contextId,
                          @JsonProperty("user-id") int userId,
                          String uidname,
                          String msisdn,
                          List<String> classofservice,
                          String oxdeliverystatus,
                          String oxlegacyref,
                          String oxantiphishing,
                          Boolean antivirus,
                          String spamlevel,
                          String quotamode,
                          List<String> custom) {

    /** Only the identifying part. */
    public static UserSummary of(MailUser u) {
        return new UserSummary(u.contextId, u.userId, u.uidname, null, null, null, null, null, null, null, null, null);
    }

    /** The identifying part and one attribute (as stored now). */
    public static UserSummary with(MailUser u, Attribute attribute) {
        UserSummary all = full(u);
        return new UserSummary(u.contextId, u.userId, u.uidname,
                attribute == Attribute.MSISDN ? all.msisdn : null,
                attribute == Attribute.CLASSOFSERVICE ? all.classofservice : null,
                attribute == Attribute.OXDELIVERYSTATUS ? all.oxdeliverystatus : null,
                attribute == Attribute.OXLEGACYREF ? all.oxlegacyref : null,
                attribute == Attribute.OXANTIPHISHING ? all.oxantiphishing : null,
                attribute == Attribute.ANTIVIRUS ? all.antivirus : null,
                attribute == Attribute.SPAMLEVEL ? all.spamlevel : null,
                attribute == Attribute.QUOTAMODE ? all.quotamode : null,
                attribute == Attribute.CUSTOM ? all.custom : null);
    }

    /** The value of one attribute, {@code null} when it is not set. */
    public Object value(Attribute attribute) {
        return switch (attribute) {
            case MSISDN -> msisdn;
            case CLASSOFSERVICE -> classofservice;
            case OXDELIVERYSTATUS -> oxdeliverystatus;
            case OXLEGACYREF -> oxlegacyref;
            case OXANTIPHISHING -> oxantiphishing;
            case ANTIVIRUS -> antivirus;
            case SPAMLEVEL -> spamlevel;
            case QUOTAMODE -> quotamode;
            case CUSTOM -> custom;
            case UIDNAME -> uidname;
        };
    }

    /** Every attribute that is set. */
    public static UserSummary full(MailUser u) {
        return new UserSummary(u.contextId, u.userId, u.uidname, u.msisdn,
                u.classOfService.isEmpty() ? null : List.copyOf(u.classOfService),
                u.oxdeliverystatus, u.oxlegacyref, u.oxantiphishing, u.antivirus, u.spamlevel, u.quotamode,
                u.customIds.isEmpty() ? null : List.copyOf(u.customIds));
    }
}
