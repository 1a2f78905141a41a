package io.mailplane.mailaccounts;

import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.RowLocks;
import io.mailplane.common.SecretBox;
import io.mailplane.mailaccounts.MailAccountDtos.AccountRequest;
import io.mailplane.mailaccounts.MailAccountDtos.AutoreplyRequest;
import io.mailplane.mailaccounts.MailAccountDtos.SignatureRequest;
import io.mailplane.mailaccounts.ServerSettings.Side;
import io.mailplane.security.Account;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A user's own external mail accounts. Settings are proven with {@link MailVerifier} before they
 * are kept; the network conversation happens outside any transaction, and the write that
 * follows locks the user row, so concurrent saves of one user serialise (and upserts of one
 * address cannot create two accounts). How a request merges into the stored account is
 * {@link AccountMerge}'s; what {@code accounts/simple} tries is {@link ServerCandidates}'.
 * <p>
 * No database connection is held while a mail server is talked to: every read before and every
 * write after the conversation is a short transaction of its own, which gives its connection
 * back at commit. (Outside a transaction, reads would use the request's session, which keeps
 * the connection it acquired until the request ends.) Conversations run in the
 * {@link VerificationBulkhead}.
 */
@ApplicationScoped
public class MailAccountService {
    private final MailVerifier verifier;
    private final VerificationBulkhead bulkhead;
    private final ServerCandidates candidates;
    private final SecretBox secrets;
    private final MailplaneConfig.MailAccounts config;
    private final RowLocks locks;
    private final MailAccountRepository accounts;

    public MailAccountService(MailVerifier verifier, VerificationBulkhead bulkhead, ServerCandidates candidates, SecretBox secrets,
                              MailplaneConfig config, RowLocks locks, MailAccountRepository accounts) {
        this.verifier = verifier;
        this.bulkhead = bulkhead;
        this.candidates = candidates;
        this.secrets = secrets;
        this.config = config.mailaccounts();
        this.locks = locks;
        this.accounts = accounts;
    }

    /** The outcome of a save: the account as stored, and whether it was new. */
    public record Saved(MailAccount account, boolean created) {
    }

    @Transactional
    public List<MailAccount> list(long userPk) {
        return accounts.list(userPk);
    }

    @Transactional
    public Optional<MailAccount> find(long userPk, String email) {
        return accounts.find(userPk, email);
    }

    @Transactional
    public Optional<MailAccount> find(long userPk, long mailboxId) {
        return accounts.find(userPk, mailboxId);
    }

    /**
     * {@code POST} (create, or update the account with this address: ONLYOFFICE's upsert) and
     * {@code PUT} (update only). Verifies both servers first; nothing is stored on failure.
     */
    public Saved save(Account owner, AccountRequest request, boolean mayCreate) {
        String email = Addresses.require("email", request.email());
        AccountDraft draft = QuarkusTransaction.requiringNew().call(() -> {
            Optional<MailAccount> existing = accounts.find(owner.userPk(), email);
            if (existing.isEmpty()) {
                if (!mayCreate) {
                    throw notFound(email);
                }
                checkLimit(owner.userPk());
            }
            return AccountMerge.merge(email, request, existing.orElse(null), secrets::open);
        });
        bulkhead.run(() -> {
            verifier.verify(draft.in());
            verifier.verify(draft.smtp());
        });
        return store(owner, draft, mayCreate);
    }

    /**
     * Tries the provider table, then settings learned from verified accounts on the domain; keeps
     * the first that verifies. Settings are learned only within the caller's own context: a user
     * of another tenant could otherwise plant a server of their own for a popular domain and
     * collect the passwords of everyone who adds an address on it.
     */
    public Saved simple(Account owner, String rawEmail, String password) {
        String email = Addresses.require("email", rawEmail);
        String domain = email.substring(email.lastIndexOf('@') + 1);
        List<AccountDraft> tries = QuarkusTransaction.requiringNew().call(() -> {
            if (accounts.find(owner.userPk(), email).isEmpty()) {
                checkLimit(owner.userPk());
            }
            return candidates.of(email, password, accounts.learned(owner.contextId(), domain));
        });
        if (tries.isEmpty()) {
            throw new ApiException(ErrorCode.MAIL_VERIFICATION_FAILED, "No server settings are known for "
                    + email.substring(email.indexOf('@') + 1) + "; add the account with its full settings.",
                    List.of(), Map.of("tried", "0"));
        }
        // unanswering servers must not add up: the candidates share the time one full verification may take
        long budget = config.connectTimeout().plus(config.readTimeout().multipliedBy(2)).multipliedBy(2).toNanos();
        int[] tried = {0};
        Optional<AccountDraft> working = bulkhead.call(() -> {
            long started = System.nanoTime();
            for (AccountDraft draft : tries) {
                if (tried[0] > 0 && System.nanoTime() - started > budget) {
                    break;
                }
                tried[0]++;
                try {
                    verifier.verify(draft.in());
                    verifier.verify(draft.smtp());
                } catch (ApiException failed) {
                    continue;
                }
                return Optional.of(draft);
            }
            return Optional.<AccountDraft>empty();
        });
        if (working.isPresent()) {
            return store(owner, working.get(), true);
        }
        throw new ApiException(ErrorCode.MAIL_VERIFICATION_FAILED, "None of the " + tried[0]
                + " known server settings tried for this address accepted the login.", List.of(),
                Map.of("tried", String.valueOf(tried[0])));
    }

    /** Deletes the account with this address; empty when the user has none. */
    public Optional<MailAccount> delete(long userPk, String email) {
        return QuarkusTransaction.requiringNew().call(() -> accounts.find(userPk, email).map(a -> {
            accounts.delete(a);
            return a;
        }));
    }

    /** Enables (after verifying the stored settings again) or disables an account. */
    public Optional<MailAccount> setState(long userPk, String email, boolean enabled) {
        Optional<MailAccount> current = QuarkusTransaction.requiringNew().call(() -> accounts.find(userPk, email));
        if (current.isEmpty()) {
            return current;
        }
        if (enabled && !current.get().enabled) {
            MailAccount a = current.get();
            ServerSettings in = AccountMerge.stored(a, a.imap ? Side.IMAP : Side.POP3, secrets::open);
            ServerSettings smtp = AccountMerge.stored(a, Side.SMTP, secrets::open);
            bulkhead.run(() -> {
                verifier.verify(in);
                verifier.verify(smtp);
            });
        }
        return change(userPk, current.get().id, a -> a.enabled = enabled);
    }

    /** Makes an account the default (no other stays default) or clears its flag. */
    public Optional<MailAccount> setDefault(long userPk, String email, boolean isDefault) {
        return QuarkusTransaction.requiringNew().call(() -> {
            locks.userByPk(userPk); // one user's default changes one at a time
            Optional<MailAccount> found = accounts.find(userPk, email);
            found.ifPresent(a -> {
                if (isDefault) {
                    accounts.clearOtherDefaults(userPk, a.id);
                }
                a.isDefault = isDefault;
                a.updatedAt = Instant.now();
            });
            return found;
        });
    }

    public Optional<MailAccount> signature(long userPk, long mailboxId, SignatureRequest body) {
        String html = Html.sanitize(body.html() == null ? "" : body.html());
        return change(userPk, mailboxId, a -> {
            a.signatureHtml = html;
            a.signatureActive = body.isActive();
        });
    }

    public Optional<MailAccount> autoreply(long userPk, long mailboxId, AutoreplyRequest body) {
        LocalDateTime from = body.fromDate() == null || body.fromDate().isBlank() ? null : dateTime("fromDate", body.fromDate());
        LocalDateTime to = body.toDate() == null || body.toDate().isBlank() ? null : dateTime("toDate", body.toDate());
        boolean toDate = Boolean.TRUE.equals(body.turnOnToDate());
        if (toDate && to == null) {
            throw ApiException.invalid("toDate", "is required when turnOnToDate is true");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw ApiException.invalid("toDate", "must not be before fromDate");
        }
        String html = Html.sanitize(body.html() == null ? "" : body.html());
        return change(userPk, mailboxId, a -> {
            a.autoreplyOn = body.turnOn();
            a.autoreplyOnlyContacts = Boolean.TRUE.equals(body.onlyContacts());
            a.autoreplyToDate = toDate;
            a.autoreplyFrom = from == null && body.turnOn() ? LocalDateTime.now(ZoneOffset.UTC).withNano(0) : from;
            a.autoreplyTo = to;
            a.autoreplySubject = body.subject() == null ? "" : body.subject();
            a.autoreplyHtml = html;
        });
    }

    private Optional<MailAccount> change(long userPk, long mailboxId, Consumer<MailAccount> edit) {
        return QuarkusTransaction.requiringNew().call(() -> accounts.find(userPk, mailboxId).map(a -> {
            edit.accept(a);
            a.updatedAt = Instant.now();
            return a;
        }));
    }

    private void checkLimit(long userPk) {
        if (accounts.count(userPk) >= config.maxPerUser()) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "A user may have at most " + config.maxPerUser() + " external accounts.");
        }
    }

    /** Writes a verified draft under the user's row lock; the account may have changed or gone since the draft was made. */
    private Saved store(Account owner, AccountDraft draft, boolean mayCreate) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long userPk = locks.user(owner.contextId(), owner.userId())
                    .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "The user no longer exists."));
            Optional<MailAccount> current = accounts.find(userPk, draft.email());
            if (current.isEmpty() && !mayCreate) {
                throw notFound(draft.email());
            }
            if (current.isEmpty()) {
                checkLimit(userPk);
            }
            if (current.isPresent() && draft.baseVersion() != null && current.get().version != draft.baseVersion()) {
                // the request was merged over an older state of the account: writing it would revert that change
                throw new ApiException(ErrorCode.CONCURRENT_MODIFICATION, "The account was changed concurrently; reload and retry.");
            }
            MailAccount a = current.orElseGet(MailAccount::new);
            AccountMerge.apply(draft, a, userPk, secrets::seal);
            accounts.save(a);
            return new Saved(a, current.isEmpty());
        });
    }

    private static LocalDateTime dateTime(String field, String raw) {
        LocalDateTime value;
        try {
            value = OffsetDateTime.parse(raw).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (DateTimeException e) {
            try {
                value = LocalDateTime.parse(raw, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            } catch (DateTimeException again) {
                throw ApiException.invalid(field, "must be a date-time like 2020-10-01T17:04:32.0000000");
            }
        }
        // the DATETIME columns hold the years 1000 to 9999 (in UTC); outside them MariaDB refuses the
        // value (a 500) and the driver writes years before 1 as their year of era (-0001 is stored as 0002)
        if (value.getYear() < 1000 || value.getYear() > 9999) {
            throw ApiException.invalid(field, "must be between the years 1000 and 9999 (UTC)");
        }
        return value;
    }

    static ApiException notFound(String email) {
        return new ApiException(ErrorCode.MAIL_ACCOUNT_NOT_FOUND, "There is no external account " + email + ".");
    }
}
