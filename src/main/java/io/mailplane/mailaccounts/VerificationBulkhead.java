package io.mailplane.mailaccounts;

import io.mailplane.common.MailplaneConfig;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Bounds how many conversations with users' mail servers this replica holds at once
 * ({@code mailplane.mailaccounts.verify.*}). A call that finds no free place within the queue
 * wait is refused with 503 and {@code Retry-After}; a server that never answers can then tie
 * up at most {@code concurrency} worker threads, never the whole service.
 * <p>
 * The network conversation must hold no database connection: calling this inside a
 * transaction is a programming error and fails loudly.
 */
@ApplicationScoped
public class VerificationBulkhead {
    private final Bulkhead bulkhead;
    private final long retryAfterSeconds;

    public VerificationBulkhead(MailplaneConfig root) {
        MailplaneConfig.MailAccounts config = root.mailaccounts();
        MailplaneConfig.MailAccounts.Verify verify = config.verify();
        if (verify.concurrency() < 1) {
            throw new IllegalArgumentException("mailplane.mailaccounts.verify.concurrency must be at least 1");
        }
        if (verify.queueWait().isNegative()) {
            throw new IllegalArgumentException("mailplane.mailaccounts.verify.queue-wait must not be negative");
        }
        this.bulkhead = Bulkhead.of("mail-verification", BulkheadConfig.custom()
                .maxConcurrentCalls(verify.concurrency())
                .maxWaitDuration(verify.queueWait())
                .fairCallHandlingStrategyEnabled(true)
                .writableStackTraceEnabled(false)
                .build());
        this.retryAfterSeconds = Math.max(1, (verify.retryAfter().toMillis() + 999) / 1000);
    }

    /** Runs {@code conversation} (which talks to mail servers) in one of the places, or refuses with 503. */
    public <T> T call(Supplier<T> conversation) {
        if (QuarkusTransaction.isActive()) {
            throw new IllegalStateException("a mail-server conversation must not run inside a database transaction");
        }
        try {
            return bulkhead.executeSupplier(conversation);
        } catch (BulkheadFullException full) {
            throw ApiException.retryLater(ErrorCode.SERVICE_UNAVAILABLE,
                    "Too many mail-server verifications are running; retry shortly.", retryAfterSeconds);
        }
    }

    public void run(Runnable conversation) {
        call(() -> {
            conversation.run();
            return null;
        });
    }
}
