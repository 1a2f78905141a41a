package io.mailplane.security;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes credential changes (password changed, account deleted) through the database so
 * every replica evicts its cached verifications within one poll interval; the local replica
 * evicts at once.
 */
@ApplicationScoped
public class CredentialEvents {
    private static final int WINDOW_SECONDS = 120;

    private final EntityManager em;
    private final CredentialVerifier verifier;
    /** Event ids already applied, with the poll round that saw them. */
    private final Map<Long, Long> applied = new HashMap<>();
    private long round;

    public CredentialEvents(EntityManager em, CredentialVerifier verifier) {
        this.em = em;
        this.verifier = verifier;
    }

    /** Records that the credentials under {@code keyPrefix} changed; call inside the changing transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String keyPrefix) {
        em.createNativeQuery("INSERT INTO credential_events (account_key) VALUES (?1)")
                .setParameter(1, keyPrefix)
                .executeUpdate();
        verifier.evict(keyPrefix);
    }

    /**
     * Applies the events of the last two minutes not applied yet. Reading a time window rather
     * than "ids above the last seen" keeps events whose transaction committed out of id order.
     */
    @Scheduled(every = "${mailplane.auth.invalidation-poll}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    synchronized void poll() {
        round++;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, account_key FROM credential_events "
                        + "WHERE created_at >= CURRENT_TIMESTAMP(3) - INTERVAL " + WINDOW_SECONDS + " SECOND")
                .getResultList();
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            if (applied.putIfAbsent(id, round) == null) {
                verifier.evict((String) row[1]);
            }
        }
        applied.values().removeIf(seen -> seen < round - 10L * WINDOW_SECONDS);
        if (round % 600 == 0) {
            em.createNativeQuery("DELETE FROM credential_events WHERE created_at < CURRENT_TIMESTAMP(3) - INTERVAL 1 HOUR")
                    .executeUpdate();
        }
    }
}
