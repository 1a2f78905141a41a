package io.mailplane.domains;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Every query of the domains feature, in native SQL: {@code mail_domains} has no entity (a row
 * is a name and its one owner), a claim is an {@code INSERT IGNORE} whose primary key settles
 * races, and a release counts and deletes across users, aliases and forwards by a {@code LIKE}
 * on the domain. Row locks on domains are taken by {@link io.mailplane.common.RowLocks}, not here.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DomainRepository {
    private final EntityManager em;

    public DomainRepository(EntityManager em) {
        this.em = em;
    }

    /** Which contexts a release looks at: one context, or every context of some brands. */
    public record Contexts(String condition, Object ids) {
        public static Contexts one(long contextId) {
            return new Contexts("c.id = ?2", contextId);
        }

        public static Contexts ofBrands(List<Long> resellerIds) {
            return new Contexts("c.reseller_id IN (?2)", resellerIds);
        }
    }

    /** Inserts the domain as the context's; false when it already had an owner (nothing changed). */
    public boolean insertForContext(String domain, long contextId) {
        return em.createNativeQuery("INSERT IGNORE INTO mail_domains (name, context_id) VALUES (?1, ?2)")
                .setParameter(1, domain).setParameter(2, contextId).executeUpdate() > 0;
    }

    /** Inserts the domain as the brand's shared domain; false when it already had an owner. */
    public boolean insertForBrand(String domain, long resellerId) {
        return em.createNativeQuery("INSERT IGNORE INTO mail_domains (name, reseller_id) VALUES (?1, ?2)")
                .setParameter(1, domain).setParameter(2, resellerId).executeUpdate() > 0;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> ofContext(long contextId) {
        return strings(em.createNativeQuery("SELECT name FROM mail_domains WHERE context_id = ?1 ORDER BY name")
                .setParameter(1, contextId).getResultList());
    }

    /** Explicit domains of the contexts of {@code resellerIds} ({@code null}: of every context). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> explicitOf(List<Long> resellerIds) {
        return strings(resellerIds == null
                ? em.createNativeQuery("SELECT name FROM mail_domains WHERE context_id IS NOT NULL ORDER BY name").getResultList()
                : em.createNativeQuery("SELECT d.name FROM mail_domains d JOIN contexts c ON c.id = d.context_id "
                        + "WHERE c.reseller_id IN (?1) ORDER BY d.name").setParameter(1, resellerIds).getResultList());
    }

    /** Whether {@code name} is an explicit domain of a context of {@code resellerIds} ({@code null}: of any context). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isExplicitOf(String name, List<Long> resellerIds) {
        return !(resellerIds == null
                ? em.createNativeQuery("SELECT 1 FROM mail_domains WHERE name = ?1 AND context_id IS NOT NULL")
                        .setParameter(1, name).getResultList()
                : em.createNativeQuery("SELECT 1 FROM mail_domains d JOIN contexts c ON c.id = d.context_id "
                        + "WHERE d.name = ?1 AND c.reseller_id IN (?2)").setParameter(1, name).setParameter(2, resellerIds)
                        .getResultList()).isEmpty();
    }

    /** Shared domains of {@code resellerIds} ({@code null}: all). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> sharedOf(List<Long> resellerIds) {
        return strings(resellerIds == null
                ? em.createNativeQuery("SELECT name FROM mail_domains WHERE reseller_id IS NOT NULL ORDER BY name").getResultList()
                : em.createNativeQuery("SELECT name FROM mail_domains WHERE reseller_id IN (?1) ORDER BY name")
                        .setParameter(1, resellerIds).getResultList());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> contextOf(String domain) {
        return first(em.createNativeQuery("SELECT context_id FROM mail_domains WHERE name = ?1 AND context_id IS NOT NULL")
                .setParameter(1, domain).getResultList());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> brandOf(String domain) {
        return first(em.createNativeQuery("SELECT reseller_id FROM mail_domains WHERE name = ?1 AND reseller_id IS NOT NULL")
                .setParameter(1, domain).getResultList());
    }

    /**
     * How many rows make {@code domain} usable by the context (its own, or a shared domain of
     * {@code brandIds}), read without a lock: for answers that change nothing. A write that puts
     * an address on the domain share-locks them with {@link io.mailplane.common.RowLocks#usableDomains}.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long usableRows(String domain, long contextId, List<Long> brandIds) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM mail_domains WHERE name = ?1 "
                        + "AND (context_id = ?2 OR reseller_id IN (?3))")
                .setParameter(1, domain).setParameter(2, contextId).setParameter(3, brandIds)
                .getSingleResult()).longValue();
    }

    /** Users of {@code contexts} with their primary address or an alias on the domain. */
    public long usersOn(String domain, Contexts contexts) {
        return count("SELECT COUNT(*) FROM users u JOIN contexts c ON c.id = u.context_id WHERE " + contexts.condition()
                + " AND (u.primary_email LIKE ?1 OR EXISTS (SELECT 1 FROM user_aliases a WHERE a.user_pk = u.pk AND a.address LIKE ?1))",
                domain, contexts);
    }

    /** Forwarding aliases of {@code contexts} on the domain. */
    public long forwardsOn(String domain, Contexts contexts) {
        return count("SELECT COUNT(*) FROM forwards f JOIN contexts c ON c.id = f.context_id WHERE " + contexts.condition()
                + " AND f.alias LIKE ?1", domain, contexts);
    }

    /** Deletes the domain and every forwarding alias on it (only its owner can have them). */
    public void deleteDomain(String domain) {
        em.createNativeQuery("DELETE FROM forwards WHERE alias LIKE ?1").setParameter(1, onDomain(domain)).executeUpdate();
        em.createNativeQuery("DELETE FROM mail_domains WHERE name = ?1").setParameter(1, domain).executeUpdate();
    }

    private long count(String sql, String domain, Contexts contexts) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, onDomain(domain)).setParameter(2, contexts.ids())
                .getSingleResult()).longValue();
    }

    /** The LIKE pattern of the addresses on the domain. */
    private static String onDomain(String domain) {
        return "%@" + domain;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(List<?> rows) {
        return (List<String>) rows;
    }

    private static Optional<Long> first(List<?> rows) {
        return rows.stream().findFirst().map(r -> ((Number) r).longValue());
    }
}
