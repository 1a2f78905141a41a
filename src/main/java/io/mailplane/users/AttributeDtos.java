package io.mailplane.users;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.mailplane.common.constraints.AttributeText;
import io.mailplane.common.constraints.CustomId;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.LongAttributeText;
import io.mailplane.common.constraints.Msisdn;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Bodies of the Cloud-Plugins attribute endpoints (SPEC §5); names and shapes are OX's. */
public final class AttributeDtos {
    public static final int MAX_CUSTOM_IDS = 50;

    private AttributeDtos() {
    }

    /** {@code {"custom":"id"}} or {@code {"custom":["a","b"]}}. */
    public record Custom(@NotNull @Size(min = 1, max = MAX_CUSTOM_IDS)
                         @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                         List<@NotNull @CustomId String> custom) {
    }

    public record MsisdnValue(@NotNull @Msisdn String msisdn) {
    }

    /** {@code {"classofservice":["cloud_pim"]}}; a single string is taken as a one-element list. */
    public record ClassOfService(@NotNull @Size(min = 1, max = 20)
                                 @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                                 List<@NotNull @Size(min = 1, max = 64) String> classofservice) {
    }

    public record DeliveryStatus(@NotNull @AttributeText String oxdeliverystatus) {
    }

    public record LegacyRef(@NotNull @LongAttributeText String oxlegacyref) {
    }

    public record AntiPhishing(@NotNull @AttributeText String oxantiphishing) {
    }

    public record Uidname(@NotNull @Login String uidname) {
    }

    public record Antivirus(@NotNull Boolean antivirus) {
    }

    public record Spamlevel(@NotNull @Pattern(regexp = "low|medium|high", message = "must be low, medium or high") String spamlevel) {
    }

    public record Quotamode(@NotNull @Pattern(regexp = "unified|default", message = "must be unified or default") String quotamode) {
        /** What a user's quota mode is until it is set. */
        public static final String DEFAULT = "default";
    }

    /**
     * {@code POST .../users/{userid}}: any of the three; an empty string (or an empty list for
     * {@code custom}) removes the attribute.
     */
    public record Change(@Size(max = 32) String msisdn,
                         @Size(max = 64) String oxdeliverystatus,
                         @Size(max = MAX_CUSTOM_IDS)
                         @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                         List<@NotNull String> custom) {
    }
}
