package io.mailplane.outbox;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.ResellerTree;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * This replica's outbox worker: every {@code mailplane.outbox.poll-interval}, and as soon as a
 * mail queued on this replica commits ({@link #wake()}), one thread drains due mails batch by
 * batch ({@link OutboxDelivery}) until a claim comes back short. Stops, letting the batch in
 * hand finish, before the persistence unit closes.
 */
@ApplicationScoped
public class OutboxWorker {
    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);

    private final OutboxDelivery delivery;
    private final OutboxRepository repository;
    private final OutboxMetrics metrics;
    private final MailplaneConfig.OutboxSettings settings;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-worker");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean stopping;

    public OutboxWorker(OutboxRepository repository, ResellerTree tree, MailplaneConfig config, OutboxMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
        this.settings = config.outbox();
        this.delivery = new OutboxDelivery(repository, tree, new SmtpRelay(config.smtp()), config, metrics);
    }

    @Scheduled(every = "${mailplane.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    @Scheduled(every = "${mailplane.outbox.depth-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void countDepth() {
        if (stopping) {
            return;
        }
        try {
            metrics.depth(repository.depth());
        } catch (RuntimeException e) {
            LOG.warnf("counting the outbox failed: %s", e.getMessage());
        }
    }

    /** Drains due mails now on the worker thread (or right after the round it is in). */
    public void wake() {
        if (!settings.enabled() || stopping) {
            return;
        }
        pending.set(true);
        if (running.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                running.set(false);
            }
        }
    }

    private void drain() {
        try {
            while (pending.getAndSet(false) && !stopping) {
                int claimed;
                do {
                    claimed = delivery.runOnce();
                } while (claimed >= settings.batchSize() && !stopping);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "the outbox worker's round failed; next poll retries");
        } finally {
            running.set(false);
        }
        if (pending.get() && !stopping) {
            wake();
        }
    }

    void stop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
