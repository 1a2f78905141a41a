package io.mailplane.directory;

/**
 * Names of accounts for cache invalidation. They nest: invalidating a prefix (say a context)
 * drops every account under it.
 */
public final class CredentialKeys {
    private CredentialKeys() {
    }

    public static String reseller(long resellerId) {
        return "reseller:" + resellerId + ":";
    }

    public static String tenant(long resellerId) {
        return "reseller:" + resellerId + ":tenant:";
    }

    /**
     * A reseller's brand data as other features cache it (its display name): not an account, so
     * invalidating it evicts no credentials.
     */
    public static String brand(long resellerId) {
        return "brand:" + resellerId + ":";
    }

    /** The reseller a {@link #reseller}, {@link #tenant} or {@link #brand} key names; null for any other key. */
    public static Long resellerOf(String key) {
        int start = key.startsWith("reseller:") ? 9 : key.startsWith("brand:") ? 6 : -1;
        int end = start < 0 ? -1 : key.indexOf(':', start);
        if (end <= start) {
            return null;
        }
        try {
            return Long.parseLong(key.substring(start, end));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static String context(long contextId) {
        return "context:" + contextId + ":";
    }

    public static String contextAdmin(long contextId) {
        return "context:" + contextId + ":admin:";
    }

    public static String user(long contextId, int userId) {
        return "context:" + contextId + ":user:" + userId + ":";
    }
}
