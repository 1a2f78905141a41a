package io.mailplane.mailstats;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.MailplaneConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.mailplane.common.TrustStores;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import javax.net.ssl.SSLSocketFactory;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import java.util.Properties;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.jboss.logging.Logger;

/**
 * Reads users' mailboxes on the configured IMAP server ({@code mailplane.imap.*}) as its master
 * user: one connection and one login per call, logged out at the end. Calls are bounded per
 * replica ({@code max-concurrent}; the excess waits up to {@code queue-wait}, then 503 with
 * {@code Retry-After}), every wait for the server is bounded (connect and read timeouts) and so
 * is the whole conversation, so a server that is down or slow can hold only a few worker threads,
 * each for a bounded time. Failures become problems in {@link ImapFailures}.
 * <p>
 * A conversation must hold no database connection: calling this inside a transaction is a
 * programming error and fails loudly.
 */
@ApplicationScoped
public class MailboxReader {
    private static final Logger LOG = Logger.getLogger(MailboxReader.class);

    /** What to do on the logged-in connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(ImapConversation conversation) throws ProtocolException;
    }

    private final MailplaneConfig.Imap config;
    private final Session session;
    private final Bulkhead bulkhead;

    public MailboxReader(MailplaneConfig root) {
        this.config = root.imap();
        this.session = Session.getInstance(properties(config, trust(config)));
        this.bulkhead = Bulkhead.of("imap-statistics", BulkheadConfig.custom()
                .maxConcurrentCalls(config.maxConcurrent())
                .maxWaitDuration(config.queueWait())
                .fairCallHandlingStrategyEnabled(true)
                .writableStackTraceEnabled(false)
                .build());
    }

    /**
     * Built when the service starts ({@link #atStart}): a truststore that is missing or does not
     * open stops the boot with a message naming the setting, not every statistics request later.
     */
    void atStart(@Observes StartupEvent event) {
        // constructing this bean built the TLS sockets
    }

    /** TLS sockets trusting the JDK's CAs and {@code mailplane.imap.truststore}; none for plain IMAP. */
    private static SSLSocketFactory trust(MailplaneConfig.Imap config) {
        if (config.tls() == MailplaneConfig.Smtp.Tls.NONE) {
            return null;
        }
        return TrustStores.sockets(config.truststore().path().filter(p -> !p.isBlank()), config.truststore().password().orElse(""),
                "mailplane.imap.truststore.path", "mailplane.imap.truststore.password");
    }

    static Properties properties(MailplaneConfig.Imap config, SSLSocketFactory tls) {
        Properties p = new Properties();
        p.put("mail.imap.host", config.host());
        p.put("mail.imap.port", String.valueOf(config.port()));
        p.put("mail.imap.connectiontimeout", String.valueOf(Math.max(1, config.connectTimeout().toMillis())));
        p.put("mail.imap.timeout", String.valueOf(Math.max(1, config.readTimeout().toMillis())));
        p.put("mail.imap.socketFactory", new ConversationSockets());
        p.put("mail.imap.socketFactory.fallback", "false");
        switch (config.tls()) {
            case SSL -> {
                p.put("mail.imap.ssl.enable", "true");
                p.put("mail.imap.ssl.socketFactory", tls);
                p.put("mail.imap.ssl.checkserveridentity", "true");
            }
            case STARTTLS -> {
                p.put("mail.imap.ssl.socketFactory", tls);
                p.put("mail.imap.starttls.enable", "true");
                p.put("mail.imap.starttls.required", "true");
                p.put("mail.imap.ssl.checkserveridentity", "true");
            }
            case NONE -> {
                // plain IMAP, for a server on the same host or a trusted network
            }
        }
        return p;
    }

    /** Logs in to {@code mailbox} (the Dovecot user name) and runs {@code work} on that one connection. */
    <T> T read(String mailbox, Work<T> work) {
        if (QuarkusTransaction.isActive()) {
            throw new IllegalStateException("an IMAP conversation must not run inside a database transaction");
        }
        if (config.masterUser().isEmpty() || config.masterPassword().isEmpty()) {
            throw new ApiException(ErrorCode.MAIL_SERVER_UNAVAILABLE,
                    "Mail statistics are not configured on this service (no IMAP master user).");
        }
        try {
            return bulkhead.executeSupplier(() -> converse(mailbox, work));
        } catch (BulkheadFullException full) {
            throw ApiException.retryLater(ErrorCode.SERVICE_UNAVAILABLE,
                    "Too many mail-server requests are running; retry shortly.", 1);
        }
    }

    /**
     * Gives {@code identifier} exactly {@code rights} on the INBOX of {@code mailbox} (its other
     * folders follow with Dovecot's {@code acl_defaults_from_inbox}). For shared accounts: their
     * delegates read them through the group {@code $mailplane-shared-<id>}. Same bounds and
     * failures as the statistics reads; never inside a database transaction.
     */
    public void grant(String mailbox, String identifier, String rights) {
        read(mailbox, conversation -> {
            conversation.setAcl(ImapConversation.INBOX, identifier, rights);
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private <T> T converse(String mailbox, Work<T> work) {
        try (ConversationSockets.Deadline deadline = ConversationSockets.begin(config.conversationTimeout().toMillis())) {
            IMAPStore store;
            try {
                store = (IMAPStore) session.getStore("imap");
            } catch (NoSuchProviderException e) {
                throw new IllegalStateException(e);
            }
            boolean done = false;
            try {
                store.connect(config.host(), config.port(), mailbox + config.masterSeparator() + config.masterUser().get(),
                        config.masterPassword().get());
                IMAPFolder any = (IMAPFolder) store.getFolder(ImapConversation.INBOX);
                T result = (T) any.doCommand(p -> work.run(new ImapConversation(p)));
                done = true;
                return result;
            } catch (MessagingException | RuntimeException e) {
                ApiException problem = ImapFailures.toProblem(e, deadline.expired());
                LOG.warnf("IMAP %s:%d: %s (%s)", config.host(), config.port(), problem.code, e.toString());
                throw problem;
            } finally {
                if (!done) {
                    // no LOGOUT exchange with a server that just failed: hang up at once
                    deadline.hangUp();
                }
                try {
                    store.close();
                } catch (MessagingException | RuntimeException e) {
                    // the answer is decided; a failed LOGOUT changes nothing
                }
            }
        }
    }
}
