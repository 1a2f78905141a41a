package io.mailplane.outbox;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.ResellerTree;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One worker's round: claim a batch of due mails in a short transaction, send them over one SMTP
 * connection with no database connection held, record the outcomes in another short transaction.
 * Every replica runs one ({@link OutboxWorker}); they never send a row twice because a claim is
 * taken with {@code FOR UPDATE SKIP LOCKED} and committed (status {@code sending}, lease, claim
 * token) before anything is sent, and outcomes are recorded only for rows still held under the
 * worker's token. Only a worker that dies (or loses the database) after sending and before
 * recording leaves rows whose lease runs out and that are sent again, with the same Message-ID.
 */
public class OutboxDelivery {
    private static final Logger LOG = Logger.getLogger(OutboxDelivery.class);
    private static final int MAX_ERROR = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutboxRepository repository;
    private final ResellerTree tree;
    private final SmtpRelay relay;
    private final MailplaneConfig.Smtp smtp;
    private final MailplaneConfig.OutboxSettings settings;
    private final OutboxMetrics metrics;

    public OutboxDelivery(OutboxRepository repository, ResellerTree tree, SmtpRelay relay, MailplaneConfig config, OutboxMetrics metrics) {
        this.repository = repository;
        this.tree = tree;
        this.relay = relay;
        this.smtp = config.smtp();
        this.settings = config.outbox();
        this.metrics = metrics;
    }

    private record Prepared(OutboxRepository.Claimed row, String from, String messageId) {
    }

    private record Failure(OutboxRepository.Claimed row, String error) {
    }

    /** Claims, sends and records one batch; how many mails it claimed (0: nothing was due). */
    public int runOnce() {
        String token = token();
        List<Prepared> batch = QuarkusTransaction.requiringNew().call(() -> claim(token));
        if (batch.isEmpty()) {
            return 0;
        }
        List<Long> sent = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<Long> untried = new ArrayList<>();
        send(batch, sent, failures, untried);
        QuarkusTransaction.requiringNew().run(() -> {
            if (!sent.isEmpty()) {
                repository.recordSent(sent, token);
            }
            if (!untried.isEmpty()) {
                repository.release(untried, token);
            }
            for (Failure f : failures) {
                boolean giveUp = f.row().attempts() >= settings.maxAttempts();
                repository.recordFailure(f.row().id(), token, f.error(), giveUp, backoff(f.row().attempts()));
                metrics.failed(giveUp);
                LOG.warnf("notification mail %d to the relay failed (attempt %d of %d%s): %s", f.row().id(), f.row().attempts(),
                        settings.maxAttempts(), giveUp ? ", giving up" : "", f.error());
            }
        });
        return batch.size();
    }

    /** The wait before the next attempt after {@code attempts} failed ones: base * 2^(attempts-1), at most the maximum. */
    Duration backoff(int attempts) {
        Duration max = settings.backoffMax();
        Duration wait = settings.backoffBase();
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private List<Prepared> claim(String token) {
        List<OutboxRepository.Claimed> rows = repository.claim(settings.batchSize(), settings.lease(), token);
        Map<Long, String> brandSenders = new HashMap<>();
        Map<String, List<Long>> withoutId = new LinkedHashMap<>();
        List<Prepared> prepared = new ArrayList<>();
        for (OutboxRepository.Claimed row : rows) {
            String from = row.sender() != null ? row.sender()
                    : row.resellerId() == null ? smtp.from() : brandSenders.computeIfAbsent(row.resellerId(), this::brandSender);
            String messageId = row.messageId();
            if (messageId == null) {
                String domain = SmtpRelay.domainOf(from);
                messageId = "<outbox-" + row.id() + "." + token + "@" + domain + ">";
                withoutId.computeIfAbsent(domain, d -> new ArrayList<>()).add(row.id());
            }
            prepared.add(new Prepared(row, from, messageId));
        }
        withoutId.forEach((domain, ids) -> repository.assignMessageIds(ids, token, domain));
        return prepared;
    }

    /** The sender of the reseller's brand, else of its nearest ancestor brand that has one, else the default. */
    private String brandSender(long resellerId) {
        Map<String, String> senders = smtp.brandFrom();
        if (!senders.isEmpty()) {
            for (ResellerTree.Brand r : tree.brands(resellerId)) {
                String sender = senders.get(r.brand());
                if (sender != null) {
                    return sender;
                }
            }
        }
        return smtp.from();
    }

    /**
     * Sends the batch over one connection. Once half the lease is spent (a slow relay), the rest of
     * the batch is handed back untried rather than risk the lease running out mid-batch, which
     * would let another replica send the same mails.
     */
    private void send(List<Prepared> batch, List<Long> sent, List<Failure> failures, List<Long> untried) {
        Transport transport = null;
        String unreachable = null;
        long handBackAt = System.nanoTime() + settings.lease().toNanos() / 2;
        try {
            for (Prepared p : batch) {
                if (System.nanoTime() > handBackAt) {
                    untried.add(p.row().id());
                    continue;
                }
                if (unreachable != null) {
                    failures.add(new Failure(p.row(), unreachable));
                    continue;
                }
                long start = System.nanoTime();
                try {
                    if (transport == null || !transport.isConnected()) {
                        close(transport);
                        transport = null;
                        try {
                            transport = relay.open();
                        } catch (MessagingException | RuntimeException e) {
                            // the relay is not there: the rest of the batch waits for the next attempt
                            unreachable = relay.scrub(e, MAX_ERROR);
                            failures.add(new Failure(p.row(), unreachable));
                            continue;
                        }
                    }
                    MimeMessage message = relay.compose(p.row(), p.from(), p.messageId());
                    transport.sendMessage(message, message.getAllRecipients());
                    metrics.sent(Duration.ofNanos(System.nanoTime() - start));
                    sent.add(p.row().id());
                } catch (MessagingException | RuntimeException e) {
                    failures.add(new Failure(p.row(), relay.scrub(e, MAX_ERROR)));
                }
            }
        } finally {
            close(transport);
        }
    }

    private static void close(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                LOG.debugf("closing the SMTP connection: %s", e.getMessage());
            }
        }
    }

    private static String token() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
