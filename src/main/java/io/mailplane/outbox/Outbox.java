package io.mailplane.outbox;

import io.mailplane.common.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Objects;

/**
 * The transactional outbox of notification mails: {@link #enqueue} writes the row in the caller's
 * transaction; a scheduled worker ({@link OutboxWorker}, on every replica) sends queued rows over
 * SMTP, retrying failures with exponential backoff, and wakes up as soon as the row commits.
 *
 * <p>The outbox is a feature of its own: {@code notify} renders and queues notifications through
 * {@link #enqueue}, and any later feature that sends mail does the same.
 */
@ApplicationScoped
public class Outbox {
    private final OutboxRepository repository;
    private final OutboxWorker worker;
    private final AfterCommit afterCommit;

    public Outbox(OutboxRepository repository, OutboxWorker worker, AfterCommit afterCommit) {
        this.repository = repository;
        this.worker = worker;
        this.afterCommit = afterCommit;
    }

    /** Queues the mail in the current transaction; its outbox id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long enqueue(OutgoingMail mail) {
        Objects.requireNonNull(mail.kind(), "kind");
        Objects.requireNonNull(mail.to(), "to");
        Objects.requireNonNull(mail.subject(), "subject");
        Objects.requireNonNull(mail.text(), "text");
        long id = repository.insert(mail);
        afterCommit.run(worker::wake);
        return id;
    }
}
