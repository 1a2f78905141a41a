package io.mailplane.common;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** RFC 9457 problem details with a stable machine {@code code}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code,
                      String requestId, List<FieldError> errors, @JsonIgnore Map<String, String> details) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
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
    public Map<String, String> extensions() {
        return details == null ? Map.of() : details;
    }
}
