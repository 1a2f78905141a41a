package io.mailplane.security;

/** The kinds of accounts that can call the API. */
public enum Realm {
    MASTER, RESELLER, CONTEXT_ADMIN, TENANT, USER
}
