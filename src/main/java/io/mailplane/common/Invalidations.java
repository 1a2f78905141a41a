package io.mailplane.common;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells every replica's caches that something changed (a password, an account deleted, a
 * context renamed or deleted). The change is written to {@code credential_events} inside the
 * changing transaction and fired locally at once as an {@link Invalidated} event; every replica
 * polls the table and fires the events written by others.
 */
@ApplicationScoped
public class Invalidations {
    private static final int WINDOW_SECONDS = 120;

    /** What changed: every cached entry whose key starts with {@code keyPrefix} is stale. */
    public record Invalidated(String keyPrefix) {
    }

    private final EntityManager em;
    private final Event<Invalidated> events;
    /** Event ids already applied, with the poll round that saw them. */
    private final Map<Long, Long> applied = new HashMap<>();
    private long round;

    public Invalidations(EntityManager em, Event<Invalidated> events) {
        this.em = em;
        this.events = events;
    }

    /** Records that what lives under {@code keyPrefix} changed; call inside the changing transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String keyPrefix) {
        em.createNativeQuery("INSERT INTO credential_events (account_key) VALUES (?1)")
                .setParameter(1, keyPrefix)
                .executeUpdate();
        events.fire(new Invalidated(keyPrefix));
    }

    /**
     * Applies the events of the last two minutes not applied yet. Reading a time window rather
     * than "ids above the last seen" keeps events whose transaction committed out of id order.
     * The replica that wrote an event applies it again here, after its commit, which also covers
     * a reader that cached the old state between the change and the commit.
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
                events.fire(new Invalidated((String) row[1]));
            }
        }
        applied.values().removeIf(seen -> seen < round - 10L * WINDOW_SECONDS);
        if (round % 600 == 0) {
            em.createNativeQuery("DELETE FROM credential_events WHERE created_at < CURRENT_TIMESTAMP(3) - INTERVAL 1 HOUR")
                    .executeUpdate();
        }
    }
}
