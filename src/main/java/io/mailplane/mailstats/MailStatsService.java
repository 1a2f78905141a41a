package io.mailplane.mailstats;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Problem;
import io.mailplane.directory.ContextDirectory;
import io.mailplane.directory.CredentialKeys;
import io.mailplane.directory.TenantContext;
import io.mailplane.mailstats.MailStatsDtos.All;
import io.mailplane.mailstats.MailStatsDtos.Count;
import io.mailplane.mailstats.MailStatsDtos.MailQuota;
import io.mailplane.mailstats.MailStatsDtos.RecentMail;
import io.mailplane.mailstats.MailStatsDtos.RecentMessages;
import io.mailplane.mailstats.MailStatsRepository.StatsUser;
import io.mailplane.security.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mail statistics of one user, read from the user's mailbox over IMAP. The user is found first,
 * in a short transaction of its own (the caller must see the user's context); the mailbox is
 * read afterwards with no database connection held ({@link MailboxReader}), on a logged-in session
 * of the account kept from its previous request when there is one ({@link ImapSessionPool}).
 *
 * <p>{@code {uid}} is OX's {@code userid@contextid} (also {@code userid@contextname}) or the
 * user's login (uidname). A value of the first shape is tried as such first: a login that looks
 * like {@code 12@example.com} names its user only when context {@code example.com} has no user 12
 * that the caller may see.
 */
@ApplicationScoped
public class MailStatsService {
    /** The number of mails {@code recentmails} lists. */
    static final int RECENT_MAILS = 5;
    private static final Pattern USER_CONTEXT = Pattern.compile("([0-9]{1,10})@([A-Za-z0-9][A-Za-z0-9._-]{0,127})");
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

    private final MailStatsRepository repository;
    private final MailboxReader reader;
    private final ContextDirectory contexts;
    private final Caller caller;

    public MailStatsService(MailStatsRepository repository, MailboxReader reader, ContextDirectory contexts, Caller caller) {
        this.repository = repository;
        this.reader = reader;
        this.contexts = contexts;
        this.caller = caller;
    }

    public Count newMessages(String uid) {
        StatsUser user = user(uid);
        Instant now = Instant.now();
        return read(user, c -> new Count(c.newSince(lastLogin(user), now)));
    }

    public MailQuota quota(String uid) {
        return read(user(uid), c -> new MailQuota(c.quota()));
    }

    public List<RecentMail> recentMails(String uid) {
        return read(user(uid), c -> c.recentMails(RECENT_MAILS));
    }

    public Count unread(String uid) {
        return read(user(uid), c -> new Count(c.unread().all()));
    }

    public Count unreadInbox(String uid) {
        return read(user(uid), c -> new Count(c.unreadInbox()));
    }

    /** Every statistic in one IMAP session: LIST and STATUS first, GETQUOTAROOT, then INBOX read-only. */
    public All all(String uid) {
        StatsUser user = user(uid);
        Instant now = Instant.now();
        return read(user, c -> {
            ImapConversation.Unread unread = c.unread();
            MailStatsDtos.Quota quota = c.quota();
            int total = c.inboxTotal();
            long fresh = c.newSince(lastLogin(user), now);
            List<RecentMail> recent = c.recentMails(RECENT_MAILS);
            return new All(recent, quota, new Count(fresh), new RecentMessages(unread.all(), unread.inbox(), total));
        });
    }

    /** Reads {@code user}'s mailbox (a pooled session of theirs, or a new login). */
    private <T> T read(StatsUser user, MailboxReader.Work<T> work) {
        return reader.read(mailbox(user), owner(user), work);
    }

    /** The account's invalidation key: its pooled IMAP sessions are dropped when it changes. */
    private static String owner(StatsUser user) {
        return CredentialKeys.user(user.contextId(), user.userId());
    }

    /** The user's last login: at the mail server when Dovecot recorded one, else at the API; null when neither. */
    static Instant lastLogin(StatsUser user) {
        return user.mailLogin() != null ? user.mailLogin() : user.apiLogin();
    }

    /** The Dovecot user name: the primary address, in lower case. */
    private static String mailbox(StatsUser user) {
        return user.primaryEmail().toLowerCase(Locale.ROOT);
    }

    /**
     * The user {@code uid} names, when the caller may see it; 400 for a malformed uid, 404 when no
     * such user exists in the caller's tree, 409 NO_PRIMARY_ADDRESS for a user without a mailbox.
     */
    StatsUser user(String uid) {
        String value = uid == null ? "" : uid;
        Matcher m = USER_CONTEXT.matcher(value);
        boolean userContext = m.matches() && Long.parseLong(m.group(1)) <= Integer.MAX_VALUE;
        if (!userContext && !LOGIN.matcher(value).matches()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "uid must be userid@contextid (or userid@contextname) or the user's login.",
                    List.of(new Problem.FieldError("uid", "must be userid@contextid, userid@contextname or a login")));
        }
        boolean login = LOGIN.matcher(value).matches();
        StatsUser user = QuarkusTransaction.requiringNew().call(() -> {
            Supplier<Optional<StatsUser>> byLogin = () -> login
                    ? repository.userByUidname(value).filter(u -> caller.canSeeReseller(u.resellerId())) : Optional.empty();
            if (!userContext) {
                return byLogin.get().orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "User " + value + " does not exist."));
            }
            int userId = Integer.parseInt(m.group(1));
            String contextRef = m.group(2);
            Optional<TenantContext> context = contexts.byIdOrName(contextRef).filter(caller::canSeeContext);
            if (context.isEmpty()) {
                return byLogin.get().orElseThrow(() -> new ApiException(ErrorCode.CONTEXT_NOT_FOUND, "Context " + contextRef + " does not exist."));
            }
            if (userId == TenantContext.ADMIN_USER_ID) {
                // the context admin (OX user 2) has no mailbox
                throw noMailbox(value);
            }
            return repository.user(context.get().id, userId).or(byLogin).orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND,
                    "User " + userId + " does not exist in context " + contextRef + "."));
        });
        if (user.primaryEmail() == null || user.primaryEmail().isBlank()) {
            throw noMailbox(value);
        }
        return user;
    }

    private static ApiException noMailbox(String uid) {
        return new ApiException(ErrorCode.NO_PRIMARY_ADDRESS, uid + " has no mailbox (no primary mail address).");
    }
}
