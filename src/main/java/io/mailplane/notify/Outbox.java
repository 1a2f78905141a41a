package io.mailplane.notify;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The transactional outbox of notification mails: {@link #enqueue} writes the row in the caller's
 * transaction; a scheduled worker sends queued rows over SMTP.
 *
 * <p>CONTRACT between the two halves of issue 12 (templates/endpoints and outbox/delivery):
 * the signature of {@link #enqueue} stays; its body is written by the outbox half.
 */
@ApplicationScoped
public class Outbox {
    /** Queues the mail in the current transaction; its outbox id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long enqueue(OutgoingMail mail) {
        throw new UnsupportedOperationException("the outbox is not built yet");
    }
}
