package io.mailplane.common;

import java.util.List;
import java.util.Map;

/** A domain error: carries its {@link ErrorCode}; the status comes from the code alone. */
public class ApiException extends RuntimeException {
    public final ErrorCode code;
    public final List<Problem.FieldError> errors;
    /** Extra members of the error body, e.g. which mail server failed and what it said. */
    public final Map<String, String> details;
    /** Seconds after which a retry may succeed ({@code Retry-After}); for 429 and 503 only. */
    public final Long retryAfterSeconds;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public ApiException(ErrorCode code, String detail, List<Problem.FieldError> errors) {
        this(code, detail, errors, Map.of());
    }

    public ApiException(ErrorCode code, String detail, List<Problem.FieldError> errors, Map<String, String> details) {
        this(code, detail, errors, details, null);
    }

    private ApiException(ErrorCode code, String detail, List<Problem.FieldError> errors, Map<String, String> details,
                         Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = errors;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A refusal that the client may retry after {@code seconds} (at least 1): answered with {@code Retry-After}. */
    public static ApiException retryLater(ErrorCode code, String detail, long seconds) {
        return new ApiException(code, detail, List.of(), Map.of(), Math.max(1, seconds));
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
