package io.mailplane.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The SQL of {@code credential_events}, the table through which replicas tell each other what
 * changed ({@link Invalidations}). Native SQL: the table has no entity, and the time window is
 * the database's clock, the one clock every replica shares.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class InvalidationRepository {
    private final EntityManager em;

    public InvalidationRepository(EntityManager em) {
        this.em = em;
    }

    /** An event another replica (or this one) wrote. */
    public record Event(long id, String keyPrefix) {
    }

    public void insert(String keyPrefix) {
        em.createNativeQuery("INSERT INTO credential_events (account_key) VALUES (?1)")
                .setParameter(1, keyPrefix)
                .executeUpdate();
    }

    /** The events written in the last {@code seconds} seconds. */
    public List<Event> since(int seconds) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, account_key FROM credential_events "
                        + "WHERE created_at >= CURRENT_TIMESTAMP(3) - INTERVAL ?1 SECOND")
                .setParameter(1, seconds)
                .getResultList();
        return rows.stream().map(r -> new Event(((Number) r[0]).longValue(), (String) r[1])).toList();
    }

    /** Drops events older than an hour: no poll reads that far back. */
    public void prune() {
        em.createNativeQuery("DELETE FROM credential_events WHERE created_at < CURRENT_TIMESTAMP(3) - INTERVAL 1 HOUR")
                .executeUpdate();
    }
}
