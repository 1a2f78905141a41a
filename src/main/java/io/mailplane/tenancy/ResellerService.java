package io.mailplane.tenancy;

import io.mailplane.common.ExpectedVersion;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.LoginClaims;
import io.mailplane.directory.TenantCredential;
import io.mailplane.directory.Reseller;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Paging;
import io.mailplane.common.RowLocks;
import io.mailplane.common.Versions;
import io.mailplane.common.Invalidations;
import io.mailplane.directory.CredentialKeys;
import io.mailplane.security.Passwords;
import io.mailplane.tenancy.ResellerDtos.CreateReseller;
import io.mailplane.tenancy.ResellerDtos.Restrictions;
import io.mailplane.tenancy.ResellerDtos.UpdateReseller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
@Transactional
public class ResellerService {
    private final TenancyRepository repository;
    private final Passwords passwords;
    private final Invalidations invalidations;
    private final AuditLog audit;
    private final ResellerTree tree;
    private final RowLocks locks;
    private final String masterLogin;
    private final LoginClaims logins;

    public ResellerService(TenancyRepository repository, Passwords passwords, Invalidations invalidations, AuditLog audit, ResellerTree tree,
                           RowLocks locks, MailplaneConfig config,
                           LoginClaims logins) {
        this.repository = repository;
        this.passwords = passwords;
        this.invalidations = invalidations;
        this.audit = audit;
        this.tree = tree;
        this.locks = locks;
        this.masterLogin = config.master().login();
        this.logins = logins;
    }

    public Reseller create(CreateReseller in, Long parentId) {
        if (in.name().equalsIgnoreCase(masterLogin) || repository.resellerNameTaken(in.name())) {
            throw new ApiException(ErrorCode.RESELLER_EXISTS, "A reseller named '" + in.name() + "' exists.");
        }
        if (repository.brandTaken(in.brand())) {
            throw new ApiException(ErrorCode.BRAND_EXISTS, "Brand '" + in.brand() + "' exists.");
        }
        Reseller r = new Reseller();
        r.name = in.name();
        r.passwordHash = passwords.hash(in.password());
        r.displayName = in.displayName();
        r.brand = in.brand();
        r.parentId = parentId;
        apply(r, in.restrictions());
        repository.save(r);
        // The name is also a login: no user or tenant login may be the same (409 RESELLER_EXISTS).
        logins.claimForReseller(r.name, r.id);
        audit.record("reseller.create", "reseller " + r.id + " (" + r.name + ")", r.id, null);
        return r;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Reseller> find(long id) {
        return repository.reseller(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> tenantLogin(long resellerId) {
        return repository.tenantCredential(resellerId).map(t -> t.login);
    }

    /** All resellers ({@code root == null}) or a reseller's tree, by id. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Reseller> list(Long root, Paging paging) {
        return repository.resellers(root == null ? null : tree.subtree(root), paging);
    }

    /** Writers of one reseller are serialised on its row: without If-Match the last one wins. */
    public Optional<Reseller> update(long id, UpdateReseller in, ExpectedVersion expected, boolean mayChangeRestrictions) {
        // slow on purpose: hashed before the reseller's row is locked
        String passwordHash = in.password() == null ? null : passwords.hash(in.password());
        locks.reseller(id);
        return repository.reseller(id).map(r -> {
            expected.check(r.version);
            if (in.restrictions() != null && !mayChangeRestrictions) {
                throw new ApiException(ErrorCode.FORBIDDEN, "A reseller cannot change its own restrictions.");
            }
            if (in.displayName() != null && !in.displayName().equals(r.displayName)) {
                r.displayName = in.displayName();
                // cached with the brand's lineage (ResellerTree.brands)
                invalidations.changed(CredentialKeys.brand(r.id));
            }
            if (in.restrictions() != null) {
                apply(r, in.restrictions());
            }
            if (in.password() != null) {
                r.passwordHash = passwordHash;
                invalidations.changed(CredentialKeys.reseller(r.id));
            }
            repository.save(r);
            audit.record("reseller.update", "reseller " + r.id + " (" + r.name + ")", r.id, null);
            return r;
        });
    }

    public boolean delete(long id, ExpectedVersion expected) {
        locks.reseller(id);
        Optional<Reseller> found = repository.reseller(id);
        if (found.isEmpty()) {
            return false;
        }
        Reseller r = found.get();
        expected.check(r.version);
        if (repository.ownsContextsOrResellers(id)) {
            throw new ApiException(ErrorCode.RESELLER_IN_USE,
                    "Reseller " + id + " still owns contexts or sub-resellers; delete those first.");
        }
        repository.delete(r);
        invalidations.changed(CredentialKeys.reseller(id));
        audit.record("reseller.delete", "reseller " + id + " (" + r.name + ")", r.parentId, null);
        return true;
    }

    /** Sets (or replaces) the brand's tenant credentials. */
    public Optional<TenantCredential> setTenant(long resellerId, ResellerDtos.TenantCredentials in) {
        if (repository.reseller(resellerId).isEmpty()) {
            return Optional.empty();
        }
        if (repository.tenantLoginTaken(in.login(), resellerId)) {
            throw new ApiException(ErrorCode.TENANT_LOGIN_EXISTS, "Tenant login '" + in.login() + "' is taken.");
        }
        TenantCredential t = repository.tenantCredential(resellerId).orElseGet(() -> {
            TenantCredential created = new TenantCredential();
            created.resellerId = resellerId;
            return created;
        });
        t.login = in.login();
        t.passwordHash = passwords.hash(in.password());
        repository.save(t);
        // No reseller name or user login may be the same (409 TENANT_LOGIN_EXISTS); replacing releases the old login.
        logins.claimForTenant(t.login, resellerId);
        invalidations.changed(CredentialKeys.tenant(resellerId));
        audit.record("reseller.tenant.set", "tenant credentials of reseller " + resellerId, resellerId, null);
        return Optional.of(t);
    }

    private static void apply(Reseller r, Restrictions restrictions) {
        if (restrictions != null) {
            r.maxContexts = restrictions.maxContexts();
            r.maxUsers = restrictions.maxUsers();
            r.maxQuotaMb = restrictions.maxQuotaMb();
        }
    }
}
