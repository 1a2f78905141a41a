package io.mailplane.shared;

import io.mailplane.common.ApiException;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.Ticker;
import io.mailplane.mailstats.MailboxReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Makes delegation real in Dovecot: every shared account with mail gets, once, the IMAP ACL that
 * lets the group {@code $mailplane-shared-<id>} read its mailbox ({@code lrs} on INBOX; its other
 * folders follow with {@code acl_defaults_from_inbox}). Who is in that group is not stored in
 * Dovecot: its userdb answers each user's {@code acl_groups} from the view
 * {@code mailserver_v1_shared_readers} at every login, so user and group delegations, live group
 * membership and {@code until} take effect at the delegate's next login without touching Dovecot.
 *
 * <p>A background task of each replica sets the ACLs of accounts that have none yet (new ones, or
 * one that had no mail before), as the IMAP master user ({@code mailplane.imap.*}), outside any
 * transaction: the rows are read and marked in short transactions of their own. While Dovecot
 * cannot be reached it retries with a growing pause (up to a minute). Two replicas may set the
 * same ACL; setting it twice changes nothing. Without a master user nothing runs.
 */
@ApplicationScoped
public class SharedMailboxAcls {
    private static final Logger LOG = Logger.getLogger(SharedMailboxAcls.class);
    /** Dovecot's ACL identifier of the readers of shared account {@code id} (IMAP: {@code $} = a group). */
    static final String GROUP_PREFIX = "mailplane-shared-";
    /** lookup, read, keep the seen flag: what the {@code read} permission gives. */
    static final String READ_RIGHTS = "lrs";
    private static final Duration PAUSE = Duration.ofSeconds(2);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    private static final int BATCH = 50;

    private final SharedRepository repository;
    private final MailboxReader imap;
    private final boolean configured;
    private Ticker ticks;
    private Duration pause = PAUSE;

    public SharedMailboxAcls(SharedRepository repository, MailboxReader imap, MailplaneConfig config) {
        this.repository = repository;
        this.imap = imap;
        this.configured = config.imap().masterUser().isPresent() && config.imap().masterPassword().isPresent();
    }

    void start(@Observes StartupEvent event) {
        if (!configured) {
            return;
        }
        ticks = Ticker.start("mailplane-shared-acls", PAUSE, this::tick);
    }

    /** Waits for a round under way (both hold this object's lock); none starts after. */
    synchronized void stop(@Observes @Priority(1) ShutdownEvent event) {
        if (ticks != null) {
            ticks.stop();
        }
    }

    /** One round; the pause before the next grows while the mail server fails. */
    private Duration tick() {
        try {
            pause = setPending() ? PAUSE : min(pause.multipliedBy(2), MAX_PAUSE);
        } catch (RuntimeException e) {
            LOG.error("setting the shared mailboxes' ACLs failed", e);
            pause = min(pause.multipliedBy(2), MAX_PAUSE);
        }
        return pause;
    }

    /** Sets the ACLs still missing; false when the mail server failed (the rest waits for the next round). */
    synchronized boolean setPending() {
        List<SharedRepository.PendingAcl> pending = QuarkusTransaction.requiringNew().call(() -> repository.pendingAcls(BATCH));
        for (SharedRepository.PendingAcl account : pending) {
            try {
                imap.grant(account.mailbox(), "$" + GROUP_PREFIX + account.accountId(), READ_RIGHTS);
            } catch (ApiException e) {
                LOG.warnf("the ACL of shared account %d's mailbox is not set yet: %s (%s); retrying", account.accountId(), e.code, e.getMessage());
                return false;
            }
            QuarkusTransaction.requiringNew().run(() -> repository.aclSet(account.accountId()));
        }
        return true;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
