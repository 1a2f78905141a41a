package io.mailplane.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details with a stable machine {@code code}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code,
                      String requestId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(ErrorCode code, String detail, String requestId, List<FieldError> errors) {
        return new Problem("urn:mailplane:problem:" + code.name().toLowerCase().replace('_', '-'),
                code.title, code.status, detail, code.name(), requestId, errors);
    }
}
