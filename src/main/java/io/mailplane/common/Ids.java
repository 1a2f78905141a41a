package io.mailplane.common;

/** Parses numeric ids taken from paths. */
public final class Ids {
    private Ids() {
    }

    /** A positive id that fits the column, or 400 {@code INVALID_ID}. */
    public static int positiveInt(String field, String raw) {
        if (digits(raw, 10)) {
            long value = Long.parseLong(raw);
            if (value > 0 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new ApiException(ErrorCode.INVALID_ID, field + " must be a positive integer.",
                java.util.List.of(new Problem.FieldError(field, "must be a positive integer")));
    }

    public static long positiveLong(String field, String raw) {
        if (digits(raw, 18) && Long.parseLong(raw) > 0) {
            return Long.parseLong(raw);
        }
        throw new ApiException(ErrorCode.INVALID_ID, field + " must be a positive integer.",
                java.util.List.of(new Problem.FieldError(field, "must be a positive integer")));
    }

    public static boolean isNumeric(String raw) {
        return digits(raw, 18);
    }

    /** Whether {@code raw} is 1 to {@code max} ASCII digits (without a regex: ids on paths are parsed on every request). */
    private static boolean digits(String raw, int max) {
        if (raw == null || raw.isEmpty() || raw.length() > max) {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
