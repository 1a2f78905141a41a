package io.mailplane.common;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * For {@link ShutdownTest}: starts the service and lets the invalidation poll tick without
 * pause, as the scheduler's ticks do (once a second), only so often that ticks surely fall
 * into every step of the shutdown. Then returns, which stops the service. The ticks end where
 * the scheduler's do, when the container begins to destroy its beans. A tick that fails logs
 * at ERROR, as the scheduler does.
 */
@QuarkusMain(name = "poll-during-shutdown")
public class PollDuringShutdownMain implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(PollDuringShutdownMain.class);
    private static volatile boolean ticking = true;
    private static volatile boolean stopping;
    private static final AtomicLong TICKS = new AtomicLong();
    private static final AtomicLong TICKS_WHILE_STOPPING = new AtomicLong();
    private static volatile Thread ticks;

    @Inject
    Invalidations invalidations;

    @Override
    public int run(String... args) throws Exception {
        CountDownLatch polled = new CountDownLatch(3);
        ticks = new Thread(() -> {
            while (ticking) {
                try {
                    invalidations.poll();
                } catch (RuntimeException e) {
                    LOG.error("invalidation poll failed" + (stopping ? " while the service stops" : ""), e);
                    return;
                }
                TICKS.incrementAndGet();
                if (stopping) {
                    TICKS_WHILE_STOPPING.incrementAndGet();
                }
                polled.countDown();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }, "poll-ticks");
        ticks.setDaemon(true);
        ticks.start();
        if (!polled.await(60, TimeUnit.SECONDS)) {
            LOG.error("the invalidation poll did not run");
        }
        return 0;
    }

    static void shutdownBegins(@Observes ShutdownEvent event) {
        stopping = true;
    }

    static void containerEnds(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) throws InterruptedException {
        ticking = false;
        Thread t = ticks;
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        LOG.infof("poll ticks ended: %d, %d of them while the service stopped", TICKS.get(), TICKS_WHILE_STOPPING.get());
    }
}
