package io.mailplane.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call an endpoint. The OX schemes carry their OX names, which the OpenAPI document
 * uses; {@link #PROVISIONING} is the master admin (always) and resellers. Only schemes that an
 * endpoint uses are here: OX's contextAdminOnlyAuth has no endpoint of ours; the brand's tenant
 * credentials (tennantAuth, {@link Realm#TENANT}) are admitted by {@link #TENANT_OR_RESELLER}.
 */
public enum Scheme {
    /** OX contextAdminAuth: context admin of the path's context, its reseller tree, master with override. */
    CONTEXT_ADMIN(EnumSet.of(Realm.CONTEXT_ADMIN, Realm.RESELLER), true),
    /** OX resellerAdminAuth: resellers, master with override; never a context admin. */
    RESELLER_ADMIN(EnumSet.of(Realm.RESELLER), true),
    /** Provisioning of resellers and contexts: resellers and, always, the master admin. */
    PROVISIONING(EnumSet.of(Realm.RESELLER, Realm.MASTER), false),
    /** Reading a context: its admin, its reseller tree and, always, the master admin. */
    CONTEXT_READ(EnumSet.of(Realm.CONTEXT_ADMIN, Realm.RESELLER, Realm.MASTER), false),
    /** OX basicAuth for end users: own login and password, or a session token. */
    USER(EnumSet.of(Realm.USER), false),
    /** Notifications (OX tennantAuth or reseller): the brand's tenant credentials, resellers, master with override. */
    TENANT_OR_RESELLER(EnumSet.of(Realm.TENANT, Realm.RESELLER), true);

    public final Set<Realm> realms;
    public final boolean masterWithOverride;

    Scheme(Set<Realm> realms, boolean masterWithOverride) {
        this.realms = realms;
        this.masterWithOverride = masterWithOverride;
    }

    public boolean admits(Realm realm, boolean masterOverride) {
        return realms.contains(realm) || (realm == Realm.MASTER && masterWithOverride && masterOverride);
    }
}
