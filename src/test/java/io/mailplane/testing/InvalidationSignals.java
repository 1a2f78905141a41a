package io.mailplane.testing;

import io.mailplane.common.Invalidations;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A signal from the service under test: "the change event of this key has been applied". A test
 * waits for it instead of sleeping or polling. It observes {@link Invalidations.Invalidated}
 * after the service's own observers (their default priority is {@code APPLICATION + 500}), so
 * when the signal comes, the caches have already dropped what the event named.
 *
 * <pre>{@code
 * InvalidationSignals.Signal applied = signals.next(key); // before causing the event
 * ... write the event ...
 * applied.await(Duration.ofSeconds(5));
 * }</pre>
 */
@ApplicationScoped
public class InvalidationSignals {
    private final List<Signal> waiting = new CopyOnWriteArrayList<>();

    void applied(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) Invalidations.Invalidated change) {
        for (Signal signal : waiting) {
            if (signal.keyPrefix.equals(change.keyPrefix())) {
                signal.applied.complete(null);
                waiting.remove(signal);
            }
        }
    }

    /** Starts listening for the next event of {@code keyPrefix}; call it before causing the event. */
    public Signal next(String keyPrefix) {
        Signal signal = new Signal(keyPrefix);
        waiting.add(signal);
        return signal;
    }

    /** One awaited event. */
    public static final class Signal {
        private final String keyPrefix;
        private final CompletableFuture<Void> applied = new CompletableFuture<>();

        private Signal(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** Returns once the event has been applied; fails the test when that takes longer than {@code limit}. */
        public void await(Duration limit) {
            try {
                applied.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the change event of " + keyPrefix + " was not applied within " + limit, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the change event of " + keyPrefix, e);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
    }
}
