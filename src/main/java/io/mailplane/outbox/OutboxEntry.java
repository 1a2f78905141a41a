package io.mailplane.outbox;

import java.time.Instant;

/** One row of the notification outbox, as operators see it. */
public record OutboxEntry(long id, Long resellerId, Long contextId, Integer userId, String kind, String recipient,
                          String sender, String subject, String text, String html, String status, int attempts,
                          Instant nextAttemptAt, String lastError, String messageId, Instant createdAt, Instant sentAt) {

    /** Waiting to be sent (again) at {@code nextAttemptAt}. */
    public static final String QUEUED = "queued";
    /** Claimed by a worker, which holds it until {@code nextAttemptAt} (its lease). */
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    /** Every attempt failed; kept until an operator retries it. */
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public static final java.util.List<String> STATUSES = java.util.List.of(QUEUED, SENDING, SENT, FAILED, CANCELLED);
}
