package io.mailplane.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Row locks ({@code SELECT ... FOR UPDATE}) written in the SQL that both MySQL 8 and MariaDB
 * accept; Hibernate's MySQL dialect emits {@code FOR UPDATE OF}, which MariaDB rejects.
 */
@ApplicationScoped
public class RowLocks {
    private final EntityManager em;

    public RowLocks(EntityManager em) {
        this.em = em;
    }

    /** Locks the reseller row until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reseller(long id) {
        em.createNativeQuery("SELECT id FROM resellers WHERE id = ?1 FOR UPDATE").setParameter(1, id).getResultList();
    }

    /** Locks a user row until the transaction ends; its primary key, or empty when there is no such user. */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Optional<Long> user(long contextId, int userId) {
        @SuppressWarnings("unchecked")
        java.util.List<Number> pks = em.createNativeQuery("SELECT pk FROM users WHERE context_id = ?1 AND user_id = ?2 FOR UPDATE")
                .setParameter(1, contextId).setParameter(2, userId).getResultList();
        return pks.stream().findFirst().map(Number::longValue);
    }

    /** Locks a group row until the transaction ends; its primary key, or empty when there is no such group. */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Optional<Long> group(long contextId, int groupId) {
        @SuppressWarnings("unchecked")
        java.util.List<Number> pks = em.createNativeQuery("SELECT pk FROM groups_ WHERE context_id = ?1 AND group_id = ?2 FOR UPDATE")
                .setParameter(1, contextId).setParameter(2, groupId).getResultList();
        return pks.stream().findFirst().map(Number::longValue);
    }

    /** Locks the context row until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void context(long id) {
        em.createNativeQuery("SELECT id FROM contexts WHERE id = ?1 FOR UPDATE").setParameter(1, id).getResultList();
    }
}
