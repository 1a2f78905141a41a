package io.mailplane.domains;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.RowLocks;
import io.mailplane.common.RowLocks.DomainOwner;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.TenantContext;
import io.mailplane.domains.DomainRepository.Contexts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Mail domains. Each has exactly one owner on the platform: a context (explicit domain) or a
 * brand (shared domain, usable by every context of that brand and its sub-brands). The
 * primary key on the name settles races: the second claim inserts nothing and gets 409.
 * A release locks the domain's row ({@link RowLocks#domainOwner}); a write that puts an address
 * on a domain share-locks it ({@link #requireUsable}), so the two wait for each other.
 */
@ApplicationScoped
@Transactional
public class DomainService {
    private final DomainRepository domains;
    private final RowLocks locks;
    private final AuditLog audit;
    private final ResellerTree tree;

    public DomainService(DomainRepository domains, RowLocks locks, AuditLog audit, ResellerTree tree) {
        this.domains = domains;
        this.locks = locks;
        this.audit = audit;
        this.tree = tree;
    }

    /** The canonical (lowercase punycode) form of a domain, or 400. */
    public static String canonical(String field, String raw) {
        return Addresses.domain(raw).orElseThrow(() -> ApiException.invalid(field, "must be a valid domain name"));
    }

    /** Claims {@code domain} for the context; true when it was new, false when the context already owned it. */
    public boolean claimForContext(TenantContext context, String domain) {
        if (!domains.insertForContext(domain, context.id)) {
            if (contextOf(domain).filter(id -> id == context.id.longValue()).isPresent()) {
                return false;
            }
            throw new ApiException(ErrorCode.DOMAIN_EXISTS, "Domain " + domain + " already has an owner.");
        }
        audit.record("domain.create", "domain " + domain + " of context " + context.id, context.resellerId, context.id);
        return true;
    }

    /** Claims {@code domain} as a shared domain of the brand; true when new, false when the brand already owned it. */
    public boolean claimForBrand(long resellerId, String domain) {
        if (!domains.insertForBrand(domain, resellerId)) {
            if (brandOf(domain).filter(id -> id == resellerId).isPresent()) {
                return false;
            }
            throw new ApiException(ErrorCode.DOMAIN_EXISTS, "Domain " + domain + " already has an owner.");
        }
        audit.record("shareddomain.create", "shared domain " + domain, resellerId, null);
        return true;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> ofContext(long contextId) {
        return domains.ofContext(contextId);
    }

    /** Explicit domains of every context in the reseller's tree ({@code null}: all). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> explicitInTree(Long resellerId) {
        return domains.explicitOf(resellerId == null ? null : tree.subtree(resellerId));
    }

    /** The canonical name of an explicit domain of the reseller's tree ({@code null}: any); 404 when there is none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String requireExplicitInTree(String domain, Long resellerId) {
        String name = canonical("domain", domain);
        if (!domains.isExplicitOf(name, resellerId == null ? null : tree.subtree(resellerId))) {
            throw ContextDomainResource.notFound(name);
        }
        return name;
    }

    /** Shared domains owned by the reseller's tree ({@code null}: all). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> sharedInTree(Long resellerId) {
        return domains.sharedOf(resellerId == null ? null : tree.subtree(resellerId));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> contextOf(String domain) {
        return domains.contextOf(domain);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> brandOf(String domain) {
        return domains.brandOf(domain);
    }

    /**
     * 400 unless the address's domain is usable by the context: its own domain, or a shared
     * domain of its brand or a brand above. The domain's row stays share-locked until the
     * transaction ends, so a concurrent release waits and then sees the new address.
     */
    public void requireUsable(TenantContext context, String field, String canonicalAddress) {
        String domain = domainOf(canonicalAddress);
        if (locks.usableDomains(domain, context.id, brandsOf(context)) == 0) {
            throw unusable(field, domain);
        }
    }

    /**
     * The same 400 as {@link #requireUsable}, read without a lock: for a request that is refused
     * either way and holds locks later in the order (a forwarding alias) than the domain's.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void requireUsableWithoutLock(TenantContext context, String field, String canonicalAddress) {
        String domain = domainOf(canonicalAddress);
        if (domains.usableRows(domain, context.id, brandsOf(context)) == 0) {
            throw unusable(field, domain);
        }
    }

    /** Releases a context's domain; 409 while users or forwards use it, unless forced (forwards on it go too). */
    public boolean releaseFromContext(TenantContext context, String domain, boolean force) {
        if (locks.domainOwner(domain, DomainOwner.CONTEXT).filter(id -> id == context.id.longValue()).isEmpty()) {
            return false;
        }
        release(domain, force, Contexts.one(context.id));
        audit.record("domain.delete", "domain " + domain + " of context " + context.id + (force ? " (forced)" : ""),
                context.resellerId, context.id);
        return true;
    }

    /** Releases a brand's shared domain; 409 while users or forwards of the brand's contexts use it, unless forced. */
    public boolean releaseFromBrand(long resellerId, String domain, boolean force) {
        if (locks.domainOwner(domain, DomainOwner.BRAND).filter(id -> id == resellerId).isEmpty()) {
            return false;
        }
        release(domain, force, Contexts.ofBrands(tree.subtree(resellerId)));
        audit.record("shareddomain.delete", "shared domain " + domain + (force ? " (forced)" : ""), resellerId, null);
        return true;
    }

    /** Deletes the locked domain; unless forced, 409 while users or forwards of {@code contexts} have addresses on it. */
    private void release(String domain, boolean force, Contexts contexts) {
        if (!force) {
            long users = domains.usersOn(domain, contexts);
            long forwards = domains.forwardsOn(domain, contexts);
            if (users + forwards > 0) {
                throw new ApiException(ErrorCode.DOMAIN_IN_USE, "Domain " + domain + " is used by " + users + " user(s) and "
                        + forwards + " forward(s); remove them first or delete with force=true.");
            }
        }
        domains.deleteDomain(domain);
    }

    private List<Long> brandsOf(TenantContext context) {
        return tree.lineageIds(context.resellerId);
    }

    private static String domainOf(String canonicalAddress) {
        return canonicalAddress.substring(canonicalAddress.lastIndexOf('@') + 1);
    }

    private static ApiException unusable(String field, String domain) {
        return ApiException.invalid(field, "the domain " + domain + " is neither a domain of this context nor a shared domain of its brand");
    }
}
