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
import java.util.function.Supplier;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.jboss.logging.Logger;

/**
 * Reads users' mailboxes on the configured IMAP server ({@code mailplane.imap.*}) as its master
 * user: on a logged-in session of the mailbox kept from an earlier call ({@link ImapSessionPool}),
 * else on a new login, kept for the next call (logged out when reuse is off). Calls are bounded per
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
    private final ImapSessionPool sessions;
    /** The server part of pooled sessions' keys: where and as which master user they logged in. */
    private final String server;

    public MailboxReader(MailplaneConfig root, ImapSessionPool sessions) {
        this.config = root.imap();
        this.sessions = sessions;
        this.server = config.tls() + "://" + config.host() + ":" + config.port() + "/" + config.masterUser().orElse("");
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
        // constructing this bean built the TLS sockets; the session pool (and its metrics) start with it
        sessions.enabled();
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

    /**
     * Runs {@code work} on a connection logged in to {@code mailbox} (the Dovecot user name) for the
     * account {@code owner} (its invalidation key, {@code CredentialKeys.user}): an idle session of
     * theirs when the pool has one, else a new login that the pool keeps afterwards.
     */
    <T> T read(String mailbox, String owner, Work<T> work) {
        return bounded(() -> converse(new ImapSessionPool.Key(server, mailbox, owner), work));
    }

    private <T> T bounded(Supplier<T> conversation) {
        if (QuarkusTransaction.isActive()) {
            throw new IllegalStateException("an IMAP conversation must not run inside a database transaction");
        }
        if (config.masterUser().isEmpty() || config.masterPassword().isEmpty()) {
            throw new ApiException(ErrorCode.MAIL_SERVER_UNAVAILABLE,
                    "Mail statistics are not configured on this service (no IMAP master user).");
        }
        try {
            return bulkhead.executeSupplier(conversation);
        } catch (BulkheadFullException full) {
            throw ApiException.retryLater(ErrorCode.SERVICE_UNAVAILABLE,
                    "Too many mail-server requests are running; retry shortly.", 1);
        }
    }

    /**
     * Gives {@code identifier} exactly {@code rights} on the INBOX of {@code mailbox} (its other
     * folders follow with Dovecot's {@code acl_defaults_from_inbox}). For shared accounts: their
     * delegates read them through the group {@code $mailplane-shared-<id>}. Same bounds and
     * failures as the statistics reads; never inside a database transaction. A login of its own,
     * logged out at the end (grants are rare; their sessions are not pooled).
     */
    public void grant(String mailbox, String identifier, String rights) {
        bounded(() -> {
            try (ConversationSockets.Deadline deadline = ConversationSockets.begin(config.conversationTimeout().toMillis())) {
                return fresh(new ImapSessionPool.Key(server, mailbox, null), deadline, conversation -> {
                    conversation.setAcl(ImapConversation.INBOX, identifier, rights);
                    return null;
                }, false);
            }
        });
    }

    /**
     * One conversation within {@code conversation-timeout}: on a pooled session of {@code key} if
     * there is one, else on a new login. A pooled session that fails (closed by the server, BYE, no
     * answer) is hung up and the request logs in afresh, once, within the same bound: a request
     * never fails only because a pooled session went stale.
     */
    private <T> T converse(ImapSessionPool.Key key, Work<T> work) {
        try (ConversationSockets.Deadline deadline = ConversationSockets.begin(config.conversationTimeout().toMillis())) {
            ImapSession pooled = sessions.borrow(key);
            if (pooled != null) {
                deadline.adopt(pooled.sockets());
                try {
                    T result = pooled.run(work);
                    sessions.reused();
                    if (pooled.reusable()) {
                        sessions.giveBack(pooled);
                    } else {
                        pooled.hangUp();
                        pooled.logOut();
                    }
                    return result;
                } catch (MessagingException | RuntimeException e) {
                    // no LOGOUT exchange with a connection that just failed
                    pooled.hangUp();
                    pooled.logOut();
                    if (deadline.expired()) {
                        throw problem(e, true);
                    }
                    sessions.wentStale();
                    LOG.debugf("IMAP %s:%d: a pooled session failed (%s); logging in afresh", config.host(), config.port(), e.toString());
                }
            }
            return fresh(key, deadline, work, true);
        }
    }

    /**
     * Logs in, runs {@code work}, then pools the session or logs it out. Only statistics
     * ({@code statistics}) are pooled and counted; a grant's session ends with it.
     */
    private <T> T fresh(ImapSessionPool.Key key, ConversationSockets.Deadline deadline, Work<T> work, boolean statistics) {
        IMAPStore store;
        try {
            store = (IMAPStore) session.getStore("imap");
        } catch (NoSuchProviderException e) {
            throw new IllegalStateException(e);
        }
        int mark = deadline.made();
        boolean done = false;
        boolean pooled = false;
        try {
            store.connect(config.host(), config.port(), key.mailbox() + config.masterSeparator() + config.masterUser().get(),
                    config.masterPassword().get());
            if (statistics) {
                sessions.loggedIn();
            }
            ImapSession login = new ImapSession(key, store, deadline.since(mark));
            T result = login.run(work);
            done = true;
            if (statistics && sessions.enabled() && login.reusable()) {
                sessions.giveBack(login);
                pooled = true;
            }
            return result;
        } catch (MessagingException | RuntimeException e) {
            throw problem(e, deadline.expired());
        } finally {
            if (!done) {
                // no LOGOUT exchange with a server that just failed: hang up at once
                deadline.hangUp();
            }
            if (!pooled) {
                try {
                    store.close();
                } catch (MessagingException | RuntimeException e) {
                    // the answer is decided; a failed LOGOUT changes nothing
                }
            }
        }
    }

    private ApiException problem(Exception e, boolean deadlinePassed) {
        ApiException problem = ImapFailures.toProblem(e, deadlinePassed);
        LOG.warnf("IMAP %s:%d: %s (%s)", config.host(), config.port(), problem.code, e.toString());
        return problem;
    }
}
