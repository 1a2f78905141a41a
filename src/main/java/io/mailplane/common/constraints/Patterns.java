package io.mailplane.common.constraints;

/** Regular expressions shared by constraint annotations and by code that validates optional-or-empty values. */
public final class Patterns {
    /** Short attribute values (oxdeliverystatus, oxantiphishing). */
    public static final String ATTRIBUTE_TEXT = "[A-Za-z0-9._:@+/=-]{1,64}";
    /** Longer attribute values and custom ids. */
    public static final String LONG_ATTRIBUTE_TEXT = "[A-Za-z0-9._:@+/=-]{1,128}";

    private Patterns() {
    }
}
