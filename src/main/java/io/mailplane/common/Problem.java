package io.mailplane.common;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details with a stable machine {@code code}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json) with a stable machine code; "
        + "mail-server verification failures add side, phase, server and reply.",
        requiredProperties = {"type", "title", "status", "code"}, additionalProperties = String.class)
public record Problem(
        @Schema(description = "urn:mailplane:problem:<code in kebab case>", examples = "urn:mailplane:problem:validation-failed") String type,
        @Schema(description = "Short summary of the code", examples = "Validation failed") String title,
        @Schema(description = "The HTTP status", format = "int32", examples = "400") int status,
        @Schema(description = "What went wrong, for humans") String detail,
        @Schema(description = "Stable machine-readable code", examples = "VALIDATION_FAILED") String code,
        @Schema(description = "The request's X-Request-Id") String requestId,
        @Schema(description = "The fields that failed validation") List<FieldError> errors,
        @JsonIgnore @Schema(hidden = true) Map<String, String> details) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @Schema(name = "FieldError", requiredProperties = {"field", "message"})
    public record FieldError(@Schema(description = "JSON path of the field, or the parameter's name", examples = "primaryEmail") String field,
                             @Schema(examples = "must be a well-formed email address") String message) {
    }

    public static Problem of(ErrorCode code, String detail, String requestId, List<FieldError> errors) {
        return of(code, detail, requestId, errors, Map.of());
    }

    public static Problem of(ErrorCode code, String detail, String requestId, List<FieldError> errors, Map<String, String> details) {
        return new Problem("urn:mailplane:problem:" + code.name().toLowerCase().replace('_', '-'),
                code.title, code.status, detail, code.name(), requestId, errors, details);
    }

    /** RFC 9457 extension members. */
    @JsonAnyGetter
    @Schema(hidden = true)
    public Map<String, String> extensions() {
        return details == null ? Map.of() : details;
    }
}
