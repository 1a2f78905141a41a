package io.mailplane.users;

/**
 * The Cloud-Plugins per-user attributes (SPEC §5). {@code column} is the users-table column of
 * a scalar attribute; list attributes live in their own tables.
 */
public enum Attribute {
    CUSTOM(null),
    MSISDN("msisdn"),
    CLASSOFSERVICE(null),
    OXDELIVERYSTATUS("oxdeliverystatus"),
    OXLEGACYREF("oxlegacyref"),
    OXANTIPHISHING("oxantiphishing"),
    UIDNAME("uidname"),
    ANTIVIRUS("antivirus"),
    SPAMLEVEL("spamlevel"),
    QUOTAMODE("quotamode");

    final String column;

    Attribute(String column) {
        this.column = column;
    }

    /** The attribute's name on the wire and in paths. */
    public String wireName() {
        return name().toLowerCase();
    }
}
