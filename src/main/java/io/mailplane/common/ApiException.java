package io.mailplane.common;

import java.util.List;
import java.util.Map;

/** A domain error: carries its {@link ErrorCode}; the status comes from the code alone. */
public class ApiException extends RuntimeException {
    public final ErrorCode code;
    public final List<Problem.FieldError> errors;
    /** Extra members of the error body, e.g. which mail server failed and what it said. */
    public final Map<String, String> details;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public ApiException(ErrorCode code, String detail, List<Problem.FieldError> errors) {
        this(code, detail, errors, Map.of());
    }

    public ApiException(ErrorCode code, String detail, List<Problem.FieldError> errors, Map<String, String> details) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = errors;
        this.details = details;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
