package io.mailplane.lists;

import io.mailplane.lists.ListService.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Every query of the black and white lists, in native SQL: an entry is one row of
 * {@code user_list_entries} (user, list code, entry) with no entity of its own, read and
 * written by its key. The user's row is locked by {@link io.mailplane.common.RowLocks}, not here.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ListRepository {
    private final EntityManager em;

    public ListRepository(EntityManager em) {
        this.em = em;
    }

    /** The entries of one list of the user, sorted. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> entries(long userPk, Kind kind) {
        @SuppressWarnings("unchecked")
        List<String> entries = em.createNativeQuery("SELECT entry FROM user_list_entries WHERE user_pk = ?1 AND list = ?2 ORDER BY entry")
                .setParameter(1, userPk).setParameter(2, kind.code).getResultList();
        return entries;
    }

    public void add(long userPk, Kind kind, String entry) {
        em.createNativeQuery("INSERT INTO user_list_entries (user_pk, list, entry) VALUES (?1, ?2, ?3)")
                .setParameter(1, userPk).setParameter(2, kind.code).setParameter(3, entry).executeUpdate();
    }

    /** Removes one entry; false when it was not listed. */
    public boolean remove(long userPk, Kind kind, String entry) {
        return em.createNativeQuery("DELETE FROM user_list_entries WHERE user_pk = ?1 AND list = ?2 AND entry = ?3")
                .setParameter(1, userPk).setParameter(2, kind.code).setParameter(3, entry).executeUpdate() > 0;
    }

    /** Empties one list of the user; how many entries it held. */
    public int clear(long userPk, Kind kind) {
        return em.createNativeQuery("DELETE FROM user_list_entries WHERE user_pk = ?1 AND list = ?2")
                .setParameter(1, userPk).setParameter(2, kind.code).executeUpdate();
    }
}
