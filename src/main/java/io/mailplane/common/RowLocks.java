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

    /** Locks the context row until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void context(long id) {
        em.createNativeQuery("SELECT id FROM contexts WHERE id = ?1 FOR UPDATE").setParameter(1, id).getResultList();
    }
}
