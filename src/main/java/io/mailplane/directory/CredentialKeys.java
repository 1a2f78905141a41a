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
