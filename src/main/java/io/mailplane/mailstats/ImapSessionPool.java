package io.mailplane.mailstats;

import io.mailplane.common.Invalidations;
import io.mailplane.common.MailplaneConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Logged-in IMAP sessions kept between statistics requests, as OX App Suite keeps its IMAP
 * connections: a request for a mailbox borrows an idle session of that mailbox (and account, and
 * server) instead of logging in, and gives it back afterwards with no mailbox selected. A session
 * serves one request at a time (borrowing takes it out of the pool). At most
 * {@code mailplane.imap.session-max-idle} sessions wait, over all mailboxes (beyond it the
 * longest idle is logged out), each at most {@code session-idle}: an expired one is never lent,
 * and a sweep logs it out. Either setting at 0 disables reuse.
 * <p>
 * LOGOUTs run on the pool's own thread, each bounded, never on a request's. A session that failed
 * is never given back ({@link MailboxReader} hangs it up). When an account changes (deleted, its
 * mail disabled, its primary address changed) its sessions are dropped: here at once, on other
 * replicas when their invalidation poll reads the change. Until then another replica only keeps an
 * idle socket: every request finds the user in the database before it borrows a session, and a
 * session is keyed by the account as well as the mailbox, so none serves another account.
 */
@ApplicationScoped
public class ImapSessionPool {
    private static final Logger LOG = Logger.getLogger(ImapSessionPool.class);
    /** How long a LOGOUT may take before the socket is just closed. */
    private static final long LOGOUT_BOUND_MS = 2_000;

    /**
     * Which sessions a request may borrow: one logged in to the same server with the same master
     * user, into the same mailbox, for the same account ({@code owner}: its invalidation key).
     */
    record Key(String server, String mailbox, String owner) {
    }

    private final long idleNanos;
    private final int maxIdle;
    /** Idle sessions, the longest idle first; guarded by this. */
    private final ArrayDeque<ImapSession> idle = new ArrayDeque<>();
    /** Set once the application stops: nothing is pooled any more. Guarded by this. */
    private boolean stopped;
    /** LOGOUTs and the sweep, on one daemon thread. */
    private final ScheduledThreadPoolExecutor thread;
    private final Counter reused;
    private final Counter fresh;
    private final Counter stale;

    public ImapSessionPool(MailplaneConfig root, MeterRegistry registry) {
        MailplaneConfig.Imap config = root.imap();
        Duration idleFor = config.sessionIdle();
        this.idleNanos = idleFor.isNegative() ? 0 : idleFor.toNanos();
        this.maxIdle = Math.max(0, config.sessionMaxIdle());
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "imap-sessions");
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        if (enabled()) {
            long sweep = Math.max(Duration.ofMillis(100).toNanos(), Math.min(idleNanos / 2, Duration.ofSeconds(15).toNanos()));
            thread.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.NANOSECONDS);
        }
        Gauge.builder("mailplane.imap.sessions.idle", this, ImapSessionPool::idleCount).strongReference(true)
                .description("Logged-in IMAP sessions waiting for reuse").register(registry);
        this.reused = conversations("reused", registry);
        this.fresh = conversations("fresh", registry);
        this.stale = Counter.builder("mailplane.imap.sessions.stale")
                .description("Pooled IMAP sessions found dead when borrowed (the request logged in afresh)").register(registry);
    }

    private static Counter conversations(String login, MeterRegistry registry) {
        return Counter.builder("mailplane.imap.sessions").tag("login", login)
                .description("IMAP conversations, by whether they reused a logged-in session or logged in").register(registry);
    }

    /** Whether sessions are kept at all ({@code session-idle} and {@code session-max-idle} both above 0). */
    boolean enabled() {
        return idleNanos > 0 && maxIdle > 0;
    }

    /** An idle session for {@code key}, taken out of the pool (the most recently returned); null when there is none. */
    ImapSession borrow(Key key) {
        if (!enabled()) {
            return null;
        }
        List<ImapSession> expired = new ArrayList<>();
        ImapSession found = null;
        synchronized (this) {
            takeExpired(System.nanoTime(), expired);
            for (Iterator<ImapSession> it = idle.descendingIterator(); it.hasNext(); ) {
                ImapSession session = it.next();
                if (session.key.equals(key)) {
                    it.remove();
                    found = session;
                    break;
                }
            }
        }
        logOut(expired);
        return found;
    }

    /** Takes back a session that served its request and left no mailbox selected; logs it out when reuse is off. */
    void giveBack(ImapSession session) {
        List<ImapSession> out = new ArrayList<>();
        synchronized (this) {
            if (!enabled() || stopped) {
                out.add(session);
            } else {
                session.idleSince = System.nanoTime();
                idle.addLast(session);
                while (idle.size() > maxIdle) {
                    out.add(idle.removeFirst());
                }
            }
        }
        logOut(out);
    }

    /** Counts a conversation that logged in. */
    void loggedIn() {
        fresh.increment();
    }

    /** Counts a conversation that reused a session. */
    void reused() {
        reused.increment();
    }

    /** Counts a borrowed session that turned out dead (the request then logged in afresh). */
    void wentStale() {
        stale.increment();
    }

    synchronized int idleCount() {
        return idle.size();
    }

    /**
     * An account changed (deleted, mail disabled, primary address changed; a context deleted
     * names all its users): its idle sessions are logged out. Sessions lent out at this moment
     * are given back afterwards and live at most {@code session-idle}; the next request finds the
     * account in the database first (deleted: 404) or keys the session by its new address.
     */
    void onChange(@Observes(notifyObserver = Reception.IF_EXISTS) Invalidations.Invalidated change) {
        drop(change.keyPrefix());
    }

    /** Logs out the idle sessions of every account whose key starts with {@code ownerPrefix}. */
    void drop(String ownerPrefix) {
        List<ImapSession> out = new ArrayList<>();
        synchronized (this) {
            for (Iterator<ImapSession> it = idle.iterator(); it.hasNext(); ) {
                ImapSession session = it.next();
                if (session.key.owner() != null && session.key.owner().startsWith(ownerPrefix)) {
                    it.remove();
                    out.add(session);
                }
            }
        }
        logOut(out);
    }

    /** Logs out sessions idle longer than {@code session-idle}. */
    void sweep() {
        List<ImapSession> expired = new ArrayList<>();
        synchronized (this) {
            takeExpired(System.nanoTime(), expired);
        }
        logOut(expired);
    }

    private void takeExpired(long now, List<ImapSession> into) {
        while (!idle.isEmpty() && now - idle.peekFirst().idleSince >= idleNanos) {
            into.add(idle.removeFirst());
        }
    }

    /** LOGOUT of each session on the pool's thread, each within {@link #LOGOUT_BOUND_MS}; hung up when the thread is gone. */
    private void logOut(List<ImapSession> sessions) {
        for (ImapSession session : sessions) {
            try {
                thread.execute(() -> logOutNow(session));
            } catch (RejectedExecutionException stopping) {
                session.hangUp();
            }
        }
    }

    private static void logOutNow(ImapSession session) {
        try (ConversationSockets.Deadline bound = ConversationSockets.begin(LOGOUT_BOUND_MS)) {
            bound.adopt(session.sockets());
            session.logOut();
        }
    }

    /** Logs out every idle session when the application stops; what has not finished within a few seconds is hung up. */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        List<ImapSession> all;
        synchronized (this) {
            stopped = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        logOut(all);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(LOGOUT_BOUND_MS + 1_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("IMAP sessions: LOGOUTs did not finish at shutdown; closing their sockets");
                thread.shutdownNow();
                all.forEach(ImapSession::hangUp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.forEach(ImapSession::hangUp);
        }
    }
}
