package io.mailplane.tenancy;

import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.TenantContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Counts what a context or a reseller tree uses, for enforcing restrictions. */
@ApplicationScoped
public class Usage {
    private final EntityManager em;
    private final ResellerTree tree;

    public Usage(EntityManager em, ResellerTree tree) {
        this.em = em;
        this.tree = tree;
    }

    public long contextsUnder(long resellerId) {
        return TenantContext.count("resellerId in ?1", tree.subtree(resellerId));
    }

    public long usersIn(long contextId) {
        return number("SELECT COUNT(*) FROM users WHERE context_id = ?1", contextId);
    }

    public long quotaIn(long contextId) {
        return number("SELECT COALESCE(SUM(quota_mb), 0) FROM users WHERE context_id = ?1", contextId);
    }

    public long usersUnder(long resellerId) {
        return em.createQuery("SELECT COUNT(u) FROM MailUser u WHERE u.contextId IN "
                        + "(SELECT c.id FROM TenantContext c WHERE c.resellerId IN ?1)", Long.class)
                .setParameter(1, tree.subtree(resellerId)).getSingleResult();
    }

    public long quotaUnder(long resellerId) {
        Long sum = em.createQuery("SELECT COALESCE(SUM(u.quotaMb), 0) FROM MailUser u WHERE u.contextId IN "
                        + "(SELECT c.id FROM TenantContext c WHERE c.resellerId IN ?1)", Long.class)
                .setParameter(1, tree.subtree(resellerId)).getSingleResult();
        return sum == null ? 0 : sum;
    }

    private long number(String sql, long param) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, param).getSingleResult()).longValue();
    }
}
