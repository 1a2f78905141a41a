package io.mailplane.security;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.directory.ContextDirectory;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.RequestScoped;
import java.util.Objects;
import java.util.Optional;

/**
 * The authenticated caller of this request and the context its path addresses, both resolved
 * once by {@link AccessFilter}; and the small permission evaluator every resource asks.
 */
@RequestScoped
public class Caller {
    private final ResellerTree tree;
    private final ContextDirectory contexts;
    private Account account;
    private TenantContext context;
    private String requestId;

    public Caller(ResellerTree tree, ContextDirectory contexts) {
        this.tree = tree;
        this.contexts = contexts;
    }

    void setRequestId(String requestId) {
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }

    void set(Account account) {
        this.account = account;
    }

    void setContext(TenantContext context) {
        this.context = context;
    }

    public Account account() {
        if (account == null) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Valid credentials are required.");
        }
        return account;
    }

    public boolean isPresent() {
        return account != null;
    }

    public Realm realm() {
        return account().realm();
    }

    /** The context named by the path, already checked to be visible to the caller. */
    public TenantContext context() {
        if (context == null) {
            throw new IllegalStateException("no context on this path");
        }
        return context;
    }

    /** Whether the caller is the master admin. */
    public boolean isMaster() {
        return realm() == Realm.MASTER;
    }

    /**
     * The root of the reseller tree the caller's listings cover: {@code null} for the master admin,
     * who sees every tree, else the caller's own reseller (also for its tenant login).
     */
    public Long treeRoot() {
        return isMaster() ? null : account().resellerId();
    }

    /** Whether the caller signed in as a reseller (not its tenant credentials). */
    public boolean isReseller() {
        return realm() == Realm.RESELLER;
    }

    /** Whether the caller is the reseller {@code resellerId} itself. */
    public boolean isReseller(long resellerId) {
        return isReseller() && Objects.equals(account().resellerId(), resellerId);
    }

    /** Master sees all; a reseller (or its tenant login) sees itself and its descendants. */
    public boolean canSeeReseller(Long resellerId) {
        Account a = account();
        if (a.realm() == Realm.MASTER) {
            return true;
        }
        if (a.realm() != Realm.RESELLER && a.realm() != Realm.TENANT) {
            return false;
        }
        if (resellerId == null) {
            return false;
        }
        // The caller's own reseller needs no walk up the tree (the common case).
        return resellerId.equals(a.resellerId()) || tree.lineageIds(resellerId).contains(a.resellerId());
    }

    /**
     * The context with this id or name when the caller may see it; 404 {@code CONTEXT_NOT_FOUND}
     * otherwise, the same answer as for a context that does not exist.
     */
    public TenantContext visibleContext(String ref) {
        Optional<TenantContext> found = contexts.byIdOrName(ref);
        if (found.isPresent() && canSeeContext(found.get())) {
            return found.get();
        }
        throw new ApiException(ErrorCode.CONTEXT_NOT_FOUND, "Context " + ref + " does not exist.");
    }

    public boolean canSeeContext(TenantContext c) {
        Account a = account();
        return switch (a.realm()) {
            case MASTER -> true;
            case RESELLER, TENANT -> canSeeReseller(c.resellerId);
            case CONTEXT_ADMIN, USER -> Objects.equals(a.contextId(), c.id);
        };
    }

    /** What the audit log records as the actor. */
    public String actor() {
        return account == null ? "anonymous" : account.login();
    }
}
