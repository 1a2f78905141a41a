package io.mailplane.common;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Tells every replica's caches that something changed (a password, an account deleted, a
 * context renamed or deleted). The change is written to {@code credential_events} inside the
 * changing transaction and fired locally as an {@link Invalidated} event once that transaction
 * has committed (not before: a reader between an earlier eviction and the commit would cache
 * the old state again); every replica polls the table and fires the events written by others.
 *
 * <p>Its table's SQL is in {@link InvalidationRepository}.
 */
@ApplicationScoped
public class Invalidations {
    private static final Logger LOG = Logger.getLogger(Invalidations.class);
    private static final int WINDOW_SECONDS = 120;

    /** What changed: every cached entry whose key starts with {@code keyPrefix} is stale. */
    public record Invalidated(String keyPrefix) {
    }

    private final InvalidationRepository repository;
    private final Event<Invalidated> events;
    private final AfterCommit afterCommit;
    /** Event ids already applied, with the poll round that saw them. */
    private final Map<Long, Long> applied = new HashMap<>();
    private long round;
    /** Set when the application begins to stop: the persistence unit is about to close. */
    private boolean stopping;
    /** {@link System#nanoTime()} of the last poll that read the table, or of the start before the first. */
    private volatile long lastPolled = System.nanoTime();
    private final Duration interval;
    /** The poll's own thread (see {@link #start}); null until the application has started. */
    private Ticker ticks;

    public Invalidations(InvalidationRepository repository, Event<Invalidated> events, AfterCommit afterCommit, MailplaneConfig config) {
        this.repository = repository;
        this.events = events;
        this.afterCommit = afterCommit;
        this.interval = config == null ? Duration.ofSeconds(1) : config.auth().invalidationPoll();
    }

    /**
     * Polls every {@code mailplane.auth.invalidation-poll} on a thread of its own ({@link Ticker}),
     * with that delay between the end of one poll and the start of the next. Not Quarkus's
     * {@code @Scheduled}: its simple scheduler checks its triggers once a second, so a one-second
     * trigger fired every one to two seconds, and another replica saw a change up to two poll
     * intervals late.
     */
    void start(@Observes StartupEvent event) {
        ticks = Ticker.start("mailplane-invalidation-poll", interval, this::tick);
    }

    /** One scheduled poll; a failure is logged and the next tick tries again (readiness reports a poll that keeps failing). */
    private Duration tick() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.error("the invalidation poll failed", e);
        }
        return interval;
    }

    /**
     * Records that what lives under {@code keyPrefix} changed; call inside the changing
     * transaction. Local caches are told when it commits, other replicas by their poll.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String keyPrefix) {
        repository.insert(keyPrefix);
        afterCommit.run(() -> events.fire(new Invalidated(keyPrefix)));
    }

    /**
     * Applies the events of the last two minutes not applied yet. Reading a time window rather
     * than "ids above the last seen" keeps events whose transaction committed out of id order.
     * This replica's own events come round here once more, a second line of defence.
     * Does nothing once the application is stopping (the scheduler outlives the persistence unit).
     */
    synchronized void poll() {
        if (stopping) {
            return;
        }
        QuarkusTransaction.requiringNew().run(this::applyNewEvents);
        lastPolled = System.nanoTime();
    }

    /** How long ago the last poll read the other replicas' invalidations (or this replica started). */
    public Duration sinceLastPoll() {
        return Duration.ofNanos(System.nanoTime() - lastPolled);
    }

    /** Runs before the persistence unit closes; waits for a poll under way (both hold this object's lock). */
    synchronized void stop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        if (ticks != null) {
            ticks.stop();
        }
    }

    private void applyNewEvents() {
        round++;
        for (InvalidationRepository.Event event : repository.since(WINDOW_SECONDS)) {
            if (applied.putIfAbsent(event.id(), round) == null) {
                events.fire(new Invalidated(event.keyPrefix()));
            }
        }
        applied.values().removeIf(seen -> seen < round - 10L * WINDOW_SECONDS);
        if (round % 600 == 0) {
            repository.prune();
        }
    }
}
