package io.mailplane.security;

import io.mailplane.directory.CredentialKeys;

/**
 * One authenticated account. {@code resellerId} is the owning reseller (for a reseller or a
 * tenant login, the reseller itself); {@code contextId}/{@code userId} are set for context
 * admins and users; {@code sessionId} when a user came with a session token. {@code key}
 * names the account for cache invalidation.
 */
public record Account(Realm realm, String login, Long resellerId, Long contextId, Integer userId, Long userPk,
                      Long sessionId) {

    public Account(Realm realm, String login, Long resellerId, Long contextId, Integer userId, Long userPk) {
        this(realm, login, resellerId, contextId, userId, userPk, null);
    }

    public static Account master(String login) {
        return new Account(Realm.MASTER, login, null, null, null, null);
    }

    public String key() {
        return switch (realm) {
            case MASTER -> "master:";
            case RESELLER -> CredentialKeys.reseller(resellerId);
            case TENANT -> CredentialKeys.tenant(resellerId);
            case CONTEXT_ADMIN -> CredentialKeys.contextAdmin(contextId);
            case USER -> CredentialKeys.user(contextId, userId);
        };
    }
}
