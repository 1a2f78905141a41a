package io.mailplane.domains;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Mail domains. Each has exactly one owner on the platform: a context (explicit domain) or a
 * brand (shared domain, usable by every context of that brand and its sub-brands). The
 * primary key on the name settles races: the second claim inserts nothing and gets 409.
 */
@ApplicationScoped
@Transactional
public class DomainService {
    private final EntityManager em;
    private final AuditLog audit;
    private final ResellerTree tree;

    public DomainService(EntityManager em, AuditLog audit, ResellerTree tree) {
        this.em = em;
        this.audit = audit;
        this.tree = tree;
    }

    /** The canonical (lowercase punycode) form of a domain, or 400. */
    public static String canonical(String field, String raw) {
        return Addresses.domain(raw).orElseThrow(() -> ApiException.invalid(field, "must be a valid domain name"));
    }

    /** Claims {@code domain} for the context; true when it was new, false when the context already owned it. */
    public boolean claimForContext(TenantContext context, String domain) {
        int inserted = em.createNativeQuery("INSERT IGNORE INTO mail_domains (name, context_id) VALUES (?1, ?2)")
                .setParameter(1, domain).setParameter(2, context.id).executeUpdate();
        if (inserted == 0) {
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
        int inserted = em.createNativeQuery("INSERT IGNORE INTO mail_domains (name, reseller_id) VALUES (?1, ?2)")
                .setParameter(1, domain).setParameter(2, resellerId).executeUpdate();
        if (inserted == 0) {
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
        return strings(em.createNativeQuery("SELECT name FROM mail_domains WHERE context_id = ?1 ORDER BY name")
                .setParameter(1, contextId).getResultList());
    }

    /** Explicit domains of every context in the reseller's tree ({@code null}: all). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> explicitInTree(Long resellerId) {
        return strings(resellerId == null
                ? em.createNativeQuery("SELECT name FROM mail_domains WHERE context_id IS NOT NULL ORDER BY name").getResultList()
                : em.createNativeQuery("SELECT d.name FROM mail_domains d JOIN contexts c ON c.id = d.context_id "
                        + "WHERE c.reseller_id IN (?1) ORDER BY d.name").setParameter(1, tree.subtree(resellerId)).getResultList());
    }

    /** The canonical name of an explicit domain of the reseller's tree ({@code null}: any); 404 when there is none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String requireExplicitInTree(String domain, Long resellerId) {
        String name = canonical("domain", domain);
        if (!explicitInTree(resellerId).contains(name)) {
            throw ContextDomainResource.notFound(name);
        }
        return name;
    }

    /** Shared domains owned by the reseller's tree ({@code null}: all). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> sharedInTree(Long resellerId) {
        return strings(resellerId == null
                ? em.createNativeQuery("SELECT name FROM mail_domains WHERE reseller_id IS NOT NULL ORDER BY name").getResultList()
                : em.createNativeQuery("SELECT name FROM mail_domains WHERE reseller_id IN (?1) ORDER BY name")
                        .setParameter(1, tree.subtree(resellerId)).getResultList());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<Long> contextOf(String domain) {
        return first(em.createNativeQuery("SELECT context_id FROM mail_domains WHERE name = ?1 AND context_id IS NOT NULL")
                .setParameter(1, domain).getResultList());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<Long> brandOf(String domain) {
        return first(em.createNativeQuery("SELECT reseller_id FROM mail_domains WHERE name = ?1 AND reseller_id IS NOT NULL")
                .setParameter(1, domain).getResultList());
    }

    /**
     * Whether addresses on {@code domain} may live in the context: its own domain, or a shared
     * domain of its brand or a brand above. Inside a transaction the domain's row stays
     * share-locked until it ends, so a concurrent release waits and then sees the new address.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean usableBy(TenantContext context, String domain) {
        List<Long> brands = tree.lineage(context.resellerId).stream().map(r -> r.id).toList();
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM mail_domains WHERE name = ?1 "
                        + "AND (context_id = ?2 OR reseller_id IN (?3)) LOCK IN SHARE MODE")
                .setParameter(1, domain).setParameter(2, context.id).setParameter(3, brands)
                .getSingleResult()).longValue() > 0;
    }

    /** 400 unless the address's domain is usable by the context. */
    public void requireUsable(TenantContext context, String field, String canonicalAddress) {
        String domain = canonicalAddress.substring(canonicalAddress.lastIndexOf('@') + 1);
        if (!usableBy(context, domain)) {
            throw ApiException.invalid(field, "the domain " + domain + " is neither a domain of this context nor a shared domain of its brand");
        }
    }

    /** Releases a context's domain; 409 while users or forwards use it, unless forced (forwards on it go too). */
    public boolean releaseFromContext(TenantContext context, String domain, boolean force) {
        if (lockOwner(domain, "context_id").filter(id -> id == context.id.longValue()).isEmpty()) {
            return false;
        }
        release(domain, force, "c.id = " + context.id.longValue());
        audit.record("domain.delete", "domain " + domain + " of context " + context.id + (force ? " (forced)" : ""),
                context.resellerId, context.id);
        return true;
    }

    /** Releases a brand's shared domain; 409 while users or forwards of the brand's contexts use it, unless forced. */
    public boolean releaseFromBrand(long resellerId, String domain, boolean force) {
        if (lockOwner(domain, "reseller_id").filter(id -> id == resellerId).isEmpty()) {
            return false;
        }
        release(domain, force, "c.reseller_id IN (" + String.join(",", tree.subtree(resellerId).stream().map(String::valueOf).toList()) + ")");
        audit.record("shareddomain.delete", "shared domain " + domain + (force ? " (forced)" : ""), resellerId, null);
        return true;
    }

    /** {@code contexts} is a condition on contexts {@code c}, built from ids only. */
    private void release(String domain, boolean force, String contexts) {
        String suffix = "%@" + domain;
        if (!force) {
            long users = count("SELECT COUNT(*) FROM users u JOIN contexts c ON c.id = u.context_id WHERE " + contexts
                    + " AND (u.primary_email LIKE ?1 OR EXISTS (SELECT 1 FROM user_aliases a WHERE a.user_pk = u.pk AND a.address LIKE ?1))", suffix);
            long forwards = count("SELECT COUNT(*) FROM forwards f JOIN contexts c ON c.id = f.context_id WHERE " + contexts
                    + " AND f.alias LIKE ?1", suffix);
            if (users + forwards > 0) {
                throw new ApiException(ErrorCode.DOMAIN_IN_USE, "Domain " + domain + " is used by " + users + " user(s) and "
                        + forwards + " forward(s); remove them first or delete with force=true.");
            }
        }
        // Only the owner (a context, or the contexts of a brand tree) can have forwards on the domain.
        em.createNativeQuery("DELETE FROM forwards WHERE alias LIKE ?1").setParameter(1, suffix).executeUpdate();
        em.createNativeQuery("DELETE FROM mail_domains WHERE name = ?1").setParameter(1, domain).executeUpdate();
    }

    /** Locks the domain's row (addresses being taken on it are waited for); its owner in {@code column}. */
    private java.util.Optional<Long> lockOwner(String domain, String column) {
        return first(em.createNativeQuery("SELECT " + column + " FROM mail_domains WHERE name = ?1 AND " + column
                + " IS NOT NULL FOR UPDATE").setParameter(1, domain).getResultList());
    }

    private long count(String sql, String param) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, param).getSingleResult()).longValue();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(List<?> rows) {
        return (List<String>) rows;
    }

    private static java.util.Optional<Long> first(List<?> rows) {
        return rows.stream().findFirst().map(r -> ((Number) r).longValue());
    }
}
