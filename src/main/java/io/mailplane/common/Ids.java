package io.mailplane.common;

/** Parses numeric ids taken from paths. */
public final class Ids {
    private Ids() {
    }

    /** A positive id that fits the column, or 400 {@code INVALID_ID}. */
    public static int positiveInt(String field, String raw) {
        if (raw != null && raw.matches("[0-9]{1,10}")) {
            long value = Long.parseLong(raw);
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new ApiException(ErrorCode.INVALID_ID, field + " must be a positive integer.",
                java.util.List.of(new Problem.FieldError(field, "must be a positive integer")));
    }

    public static long positiveLong(String field, String raw) {
        if (raw != null && raw.matches("[0-9]{1,18}") && Long.parseLong(raw) > 0) {
            return Long.parseLong(raw);
        }
        throw new ApiException(ErrorCode.INVALID_ID, field + " must be a positive integer.",
                java.util.List.of(new Problem.FieldError(field, "must be a positive integer")));
    }

    public static boolean isNumeric(String raw) {
        return raw != null && raw.matches("[0-9]{1,18}");
    }
}
