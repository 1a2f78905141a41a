package io.mailplane.common;

import java.util.List;

/** A domain error: carries its {@link ErrorCode}; the status comes from the code alone. */
public class ApiException extends RuntimeException {
    public final ErrorCode code;
    public final List<Problem.FieldError> errors;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public ApiException(ErrorCode code, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = errors;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
