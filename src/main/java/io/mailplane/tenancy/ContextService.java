package io.mailplane.tenancy;

import io.mailplane.common.ExpectedVersion;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.Reseller;
import io.mailplane.directory.TenantContext;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Paging;
import io.mailplane.common.RowLocks;
import io.mailplane.common.Versions;
import io.mailplane.common.Invalidations;
import io.mailplane.directory.CredentialKeys;
import io.mailplane.security.Passwords;
import io.mailplane.tenancy.ContextDtos.CreateContext;
import io.mailplane.tenancy.ContextDtos.UpdateContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
@Transactional
public class ContextService {
    public static final String DEFAULT_ADMIN_LOGIN = "oxadmin";

    private final TenancyRepository repository;
    private final Passwords passwords;
    private final Invalidations invalidations;
    private final AuditLog audit;
    private final ResellerTree tree;
    private final Usage usage;
    private final RowLocks locks;

    public ContextService(TenancyRepository repository, Passwords passwords, Invalidations invalidations, AuditLog audit,
                          ResellerTree tree, Usage usage, RowLocks locks) {
        this.repository = repository;
        this.passwords = passwords;
        this.invalidations = invalidations;
        this.audit = audit;
        this.tree = tree;
        this.usage = usage;
        this.locks = locks;
    }

    /** Creates a context for {@code resellerId}, within the restrictions of the reseller and its ancestors. */
    public TenantContext create(CreateContext in, long resellerId) {
        List<Reseller> lineage = tree.lineage(resellerId);
        // One brand tree creates contexts one at a time, so its restrictions hold under concurrency.
        locks.reseller(lineage.get(lineage.size() - 1).id);
        for (Reseller r : lineage) {
            if (r.maxContexts != null && usage.contextsUnder(r.id) >= r.maxContexts) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                        "Reseller " + r.name + " may own at most " + r.maxContexts + " contexts.");
            }
        }
        if (repository.contextNameTaken(in.name(), -1)) {
            throw new ApiException(ErrorCode.CONTEXT_EXISTS, "A context named '" + in.name() + "' exists.");
        }
        TenantContext c = new TenantContext();
        if (in.id() != null) {
            if (repository.context(in.id()).isPresent()) {
                throw new ApiException(ErrorCode.CONTEXT_EXISTS, "Context " + in.id() + " exists.");
            }
            c.id = in.id();
        } else {
            c.id = allocateId();
        }
        c.name = in.name();
        c.resellerId = resellerId;
        c.adminLogin = in.adminLogin() == null ? DEFAULT_ADMIN_LOGIN : in.adminLogin();
        c.adminPasswordHash = passwords.hash(in.adminPassword());
        c.maxUsers = in.maxUsers();
        c.maxQuotaMb = in.maxQuotaMb();
        repository.save(c);
        audit.record("context.create", "context " + c.id + " (" + c.name + ")", resellerId, c.id);
        return c;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TenantContext> list(Long root, Paging paging) {
        return repository.contexts(root == null ? null : tree.subtree(root), paging);
    }

    /** The context as stored now (not the request's cached view of it). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TenantContext> find(long id) {
        return repository.context(id);
    }

    public Optional<TenantContext> update(long id, UpdateContext in, ExpectedVersion expected) {
        // slow on purpose: hashed before the context's row is locked
        String adminPasswordHash = in.adminPassword() == null ? null : passwords.hash(in.adminPassword());
        locks.context(id);
        return repository.context(id).map(c -> {
            expected.check(c.version);
            if (in.name() != null && !in.name().equals(c.name)) {
                if (repository.contextNameTaken(in.name(), id)) {
                    throw new ApiException(ErrorCode.CONTEXT_EXISTS, "A context named '" + in.name() + "' exists.");
                }
                c.name = in.name();
            }
            if (in.maxUsers() != null) {
                long users = usage.usersIn(id);
                if (users > in.maxUsers()) {
                    throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "The context has " + users + " users, more than " + in.maxUsers() + ".");
                }
                c.maxUsers = in.maxUsers();
            }
            if (in.maxQuotaMb() != null) {
                long quota = usage.quotaIn(id);
                if (quota > in.maxQuotaMb()) {
                    throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "The context's users hold " + quota + " MB, more than " + in.maxQuotaMb() + ".");
                }
                c.maxQuotaMb = in.maxQuotaMb();
            }
            if (in.adminPassword() != null) {
                c.adminPasswordHash = adminPasswordHash;
            }
            repository.save(c);
            // Cached lookups of the context, and verifications of its admin's password, are stale.
            invalidations.changed(CredentialKeys.context(id));
            audit.record("context.update", "context " + c.id + " (" + c.name + ")", c.resellerId, c.id);
            return c;
        });
    }

    /** Deletes the context and everything in it (users, aliases, groups, sessions) in one transaction. */
    public boolean delete(long id, ExpectedVersion expected) {
        locks.context(id);
        TenantContext c = repository.context(id).orElse(null);
        if (c == null) {
            return false;
        }
        expected.check(c.version);
        repository.delete(c);
        invalidations.changed(CredentialKeys.context(id));
        audit.record("context.delete", "context " + id + " (" + c.name + ")", c.resellerId, id);
        return true;
    }

    /** The next id of the sequence that no context (created with an explicit id) has taken. */
    private long allocateId() {
        while (true) {
            long id = repository.nextContextSequenceValue();
            if (repository.context(id).isEmpty()) {
                return id;
            }
        }
    }
}
