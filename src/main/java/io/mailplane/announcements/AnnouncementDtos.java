package io.mailplane.announcements;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailplane.common.constraints.BrandName;
import io.mailplane.common.constraints.Label;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of {@code /oxaas/v1/admin/announcements} (OX's field names) and {@code /oxaas/v1/announcements}. */
public final class AnnouncementDtos {
    /** Most brands one announcement may target. */
    public static final int MAX_BRANDS = 1000;
    /** Largest message, serialised as compact JSON in UTF-8. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final String DATE_TIME = "A wall-clock time in timezone, ISO 8601: 2030-03-31T09:00 or 2030-03-31T09:00:00"
            + " (seconds and fractions optional; fractions are dropped). With an offset or Z it names an instant, which is"
            + " stored as the wall-clock time it is in timezone. Answers carry the wall-clock time and its offset in timezone.";
    static final String MESSAGE = "The message: any JSON value but null, at most 65,536 bytes as compact JSON.";
    static final String BRANDS = "Brand names the announcement is shown to (each to its own users and its sub-brands' users),"
            + " all in ownerBrand's brand tree; absent or empty: ownerBrand alone.";

    private AnnouncementDtos() {
    }

    /** {@code id} and {@code version} may be sent (OX clients send the whole object) and are ignored. */
    public record CreateAnnouncement(@Schema(description = "ignored; the service assigns ids") Long id,
                                     @Schema(description = "ignored; a new announcement has version 0") Long version,
                                     @NotNull @Label String name,
                                     @NotNull @Schema(description = MESSAGE, implementation = Object.class) JsonNode msgJsonObject,
                                     @NotNull @Size(max = 40) @Schema(description = DATE_TIME, example = "2030-03-31T09:00:00") String startDatetime,
                                     @NotNull @Size(max = 40) @Schema(description = DATE_TIME + " Must be after startDatetime.", example = "2030-04-07T18:00:00") String endDatetime,
                                     @NotNull @Size(max = 64) @Schema(description = "IANA time zone id", example = "Europe/Berlin") String timezone,
                                     @Schema(description = "whether users may dismiss it; default false") Boolean discardable,
                                     @Schema(description = "default true") Boolean enabled,
                                     @BrandName @Schema(description = "the owning brand: the caller's (default) or one of its sub-brands") String ownerBrand,
                                     @Size(max = MAX_BRANDS) @Schema(description = BRANDS) List<@NotNull @BrandName String> brands) {
    }

    /** Every field optional: what is present replaces the stored value ({@code brands} as a whole). */
    public record UpdateAnnouncement(@Schema(description = "if present, the path's id") Long id,
                                     @Min(0) @Max(Integer.MAX_VALUE) @Schema(description = "if present, the current version (else 412), like If-Match") Long version,
                                     @Label String name,
                                     @Schema(description = MESSAGE, implementation = Object.class) JsonNode msgJsonObject,
                                     @Size(max = 40) @Schema(description = DATE_TIME) String startDatetime,
                                     @Size(max = 40) @Schema(description = DATE_TIME) String endDatetime,
                                     @Size(max = 64) @Schema(description = "IANA time zone id; without new times, the stored wall-clock times are kept and now mean this zone") String timezone,
                                     Boolean discardable,
                                     Boolean enabled,
                                     @BrandName @Schema(description = "a brand of the caller's tree") String ownerBrand,
                                     @Size(max = MAX_BRANDS) @Schema(description = BRANDS) List<@NotNull @BrandName String> brands) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AnnouncementView(long id, int version, String name,
                                   @JsonRawValue @Schema(description = "any JSON value") Object msgJsonObject,
                                   @Schema(description = "wall-clock time and offset in timezone", example = "2030-03-31T09:00:00+02:00") String startDatetime,
                                   @Schema(description = "wall-clock time and offset in timezone", example = "2030-04-07T18:00:00+02:00") String endDatetime,
                                   String timezone, boolean discardable, boolean enabled, String ownerBrand, List<String> brands) {
    }

    /** What a user sees of an announcement. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UserAnnouncement(long id, String name,
                                   @JsonRawValue @Schema(description = "any JSON value") Object msgJsonObject,
                                   @Schema(example = "2030-03-31T09:00:00+02:00") String startDatetime,
                                   @Schema(example = "2030-04-07T18:00:00+02:00") String endDatetime,
                                   String timezone, boolean discardable) {
    }
}
