package io.mailplane.common;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A background task on a daemon thread of its own: runs a round, waits the pause that round asked
 * for, runs the next, until {@link #stop}. A pause counts from the end of one round to the start of
 * the next, so rounds never overlap. Not Quarkus's {@code @Scheduled}: its simple scheduler checks
 * its triggers once a second, too coarse for a one-second poll and unable to back off.
 */
public final class Ticker {
    private static final Logger LOG = Logger.getLogger(Ticker.class);

    private final ScheduledThreadPoolExecutor thread;
    private final Supplier<Duration> round;
    private final Duration afterFailure;

    private Ticker(String threadName, Supplier<Duration> round, Duration afterFailure) {
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // a stop drops the round that waits; the one under way finishes
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.round = round;
        this.afterFailure = afterFailure;
    }

    /**
     * Starts ticking on a daemon thread named {@code threadName}: the first round after {@code first};
     * each round answers the pause before the next. A round should deal with its own failures; one
     * that throws anyway is logged, and the next runs after {@code first}.
     */
    public static Ticker start(String threadName, Duration first, Supplier<Duration> round) {
        Ticker ticker = new Ticker(threadName, round, first);
        ticker.schedule(first);
        return ticker;
    }

    /** Starts no round any more; a round under way finishes. */
    public synchronized void stop() {
        thread.shutdown();
    }

    private void tick() {
        Duration pause;
        try {
            pause = round.get();
        } catch (RuntimeException e) {
            LOG.error("a background round failed", e);
            pause = afterFailure;
        }
        schedule(pause);
    }

    private synchronized void schedule(Duration pause) {
        if (!thread.isShutdown()) {
            thread.schedule(this::tick, pause.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
