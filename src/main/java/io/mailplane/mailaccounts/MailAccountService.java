package io.mailplane.mailaccounts;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.RowLocks;
import io.mailplane.common.SecretBox;
import io.mailplane.mailaccounts.MailAccountDtos.AccountRequest;
import io.mailplane.mailaccounts.MailAccountDtos.AutoreplyRequest;
import io.mailplane.mailaccounts.MailAccountDtos.SignatureRequest;
import io.mailplane.mailaccounts.ServerSettings.Side;
import io.mailplane.security.Account;
import io.mailplane.directory.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A user's external mail accounts. Settings are proven with {@link MailVerifier} before they
 * are kept; the network conversation happens outside any transaction, and the write that
 * follows locks the user row, so concurrent saves of one user serialise (and upserts of one
 * address cannot create two accounts).
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
    private final SecretBox secrets;
    private final MailplaneConfig.MailAccounts config;
    private final RowLocks locks;
    private final EntityManager em;
    private final AuditLog audit;

    public MailAccountService(MailVerifier verifier, VerificationBulkhead bulkhead, SecretBox secrets, MailplaneConfig config,
                              RowLocks locks, EntityManager em, AuditLog audit) {
        this.verifier = verifier;
        this.bulkhead = bulkhead;
        this.secrets = secrets;
        this.config = config.mailaccounts();
        this.locks = locks;
        this.em = em;
        this.audit = audit;
    }

    /** The outcome of a save: the account as stored, and whether it was new. */
    public record Saved(MailAccount account, boolean created) {
    }

    /** Everything needed to verify and store one account, with secrets in plain text (memory only). */
    private record Draft(String email, String name, boolean imap, boolean restrict, ServerSettings in, ServerSettings smtp,
                         Integer baseVersion) {
        Draft(String email, String name, boolean imap, boolean restrict, ServerSettings in, ServerSettings smtp) {
            this(email, name, imap, restrict, in, smtp, null);
        }
    }

    @Transactional
    public List<MailAccount> list(long userPk) {
        return MailAccount.list("userPk = ?1 order by id", userPk);
    }

    @Transactional
    public Optional<MailAccount> find(long userPk, String email) {
        return MailAccount.find("userPk = ?1 and email = ?2", userPk, email).firstResultOptional();
    }

    @Transactional
    public Optional<MailAccount> find(long userPk, long mailboxId) {
        return MailAccount.find("userPk = ?1 and id = ?2", userPk, mailboxId).firstResultOptional();
    }

    /**
     * {@code POST} (create, or update the account with this address: ONLYOFFICE's upsert) and
     * {@code PUT} (update only). Verifies both servers first; nothing is stored on failure.
     */
    public Saved save(Account owner, AccountRequest request, boolean mayCreate) {
        String email = Addresses.require("email", request.email());
        Draft draft = QuarkusTransaction.requiringNew().call(() -> {
            Optional<MailAccount> existing = find(owner.userPk(), email);
            if (existing.isEmpty()) {
                if (!mayCreate) {
                    throw notFound(email);
                }
                checkLimit(owner.userPk());
            }
            return draft(owner.userPk(), email, request, existing.orElse(null));
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
        List<Draft> candidates = QuarkusTransaction.requiringNew().call(() -> {
            if (find(owner.userPk(), email).isEmpty()) {
                checkLimit(owner.userPk());
            }
            return candidates(owner.contextId(), email, password);
        });
        if (candidates.isEmpty()) {
            throw new ApiException(ErrorCode.MAIL_VERIFICATION_FAILED, "No server settings are known for "
                    + email.substring(email.indexOf('@') + 1) + "; add the account with its full settings.",
                    List.of(), Map.of("tried", "0"));
        }
        // unanswering servers must not add up: the candidates share the time one full verification may take
        long budget = config.connectTimeout().plus(config.readTimeout().multipliedBy(2)).multipliedBy(2).toNanos();
        int[] tried = {0};
        Optional<Draft> working = bulkhead.call(() -> {
            long started = System.nanoTime();
            for (Draft draft : candidates) {
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
            return Optional.<Draft>empty();
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
        return QuarkusTransaction.requiringNew().call(() -> find(userPk, email).map(a -> {
            a.delete();
            return a;
        }));
    }

    /** Enables (after verifying the stored settings again) or disables an account. */
    public Optional<MailAccount> setState(long userPk, String email, boolean enabled) {
        Optional<MailAccount> current = find(userPk, email);
        if (current.isEmpty()) {
            return current;
        }
        if (enabled && !current.get().enabled) {
            MailAccount a = current.get();
            ServerSettings in = stored(a, a.imap ? Side.IMAP : Side.POP3);
            ServerSettings smtp = stored(a, Side.SMTP);
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
            Optional<MailAccount> found = find(userPk, email);
            found.ifPresent(a -> {
                if (isDefault) {
                    em.createNativeQuery("UPDATE mail_accounts SET is_default = FALSE, version = version + 1 WHERE user_pk = ?1 AND id <> ?2 AND is_default")
                            .setParameter(1, userPk).setParameter(2, a.id).executeUpdate();
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

    /** A context admin's view for offboarding; empty when the user does not exist. */
    @Transactional
    public Optional<List<MailAccount>> listFor(TenantContext context, int userId) {
        return userPk(context, userId).map(this::list);
    }

    /** Deletes one (or, with {@code mailboxId == null}, every) external account of a user, recorded in the audit log. */
    @Transactional
    public Optional<List<MailAccount>> deleteFor(TenantContext context, int userId, Long mailboxId) {
        Optional<Long> pk = locks.user(context.id, userId);
        if (pk.isEmpty()) {
            return Optional.empty();
        }
        List<MailAccount> doomed = mailboxId == null ? list(pk.get()) : find(pk.get(), mailboxId).map(List::of).orElse(List.of());
        for (MailAccount a : doomed) {
            a.delete();
            audit.record("mailaccount.delete", "external account " + a.id + " (" + a.email + ") of user " + userId,
                    context.resellerId, context.id);
        }
        return Optional.of(doomed);
    }

    private Optional<Long> userPk(TenantContext context, int userId) {
        @SuppressWarnings("unchecked")
        List<Number> pks = em.createNativeQuery("SELECT pk FROM users WHERE context_id = ?1 AND user_id = ?2")
                .setParameter(1, context.id).setParameter(2, userId).getResultList();
        return pks.stream().findFirst().map(Number::longValue);
    }

    private Optional<MailAccount> change(long userPk, long mailboxId, java.util.function.Consumer<MailAccount> edit) {
        return QuarkusTransaction.requiringNew().call(() -> find(userPk, mailboxId).map(a -> {
            edit.accept(a);
            a.updatedAt = Instant.now();
            return a;
        }));
    }

    private void checkLimit(long userPk) {
        long count = MailAccount.count("userPk", userPk);
        if (count >= config.maxPerUser()) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "A user may have at most " + config.maxPerUser() + " external accounts.");
        }
    }

    private Saved store(Account owner, Draft draft, boolean mayCreate) {
        Supplier<Saved> write = () -> {
            long userPk = locks.user(owner.contextId(), owner.userId())
                    .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "The user no longer exists."));
            Optional<MailAccount> current = find(userPk, draft.email());
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
            if (a.id == null) {
                a.userPk = userPk;
                a.email = draft.email();
                a.emailDomain = draft.email().substring(draft.email().lastIndexOf('@') + 1);
                a.enabled = true;
            }
            if (a.id == null || draft.name() != null) {
                a.name = draft.name() == null ? "" : draft.name(); // accounts/simple sends no name: an existing one stays
            }
            a.imap = draft.imap();
            a.restrictImport = draft.restrict();
            ServerSettings in = draft.in();
            a.inServer = in.host();
            a.inPort = in.port();
            a.inLogin = in.login();
            a.inEncryption = in.encryption().code;
            a.inAuth = in.auth().code;
            a.inSecret = secrets.seal(in.secret(), MailAccount.secretContext(userPk, a.email, "in"));
            ServerSettings smtp = draft.smtp();
            a.smtpServer = smtp.host();
            a.smtpPort = smtp.port();
            a.smtpAuth = smtp.authenticate();
            a.smtpLogin = smtp.authenticate() ? smtp.login() : null;
            a.smtpEncryption = smtp.encryption().code;
            a.smtpAuthType = smtp.auth().code;
            a.smtpSecret = smtp.authenticate() ? secrets.seal(smtp.secret(), MailAccount.secretContext(userPk, a.email, "smtp")) : null;
            a.updatedAt = Instant.now();
            if (a.id == null) {
                a.persist();
            }
            em.flush();
            return new Saved(a, current.isEmpty());
        };
        return QuarkusTransaction.requiringNew().call(write::get);
    }

    /** Merges a request over the stored account (or the defaults) and resolves the secrets. */
    private Draft draft(long userPk, String email, AccountRequest r, MailAccount old) {
        boolean imap = r.imap() != null ? r.imap() : old == null || old.imap;
        Side side = imap ? Side.IMAP : Side.POP3;
        Encryption inEnc = r.incoming_encryption_type() != null ? r.incoming_encryption_type()
                : old != null ? Encryption.ofCode(old.inEncryption) : Encryption.None;
        AuthType inAuth = r.auth_type_in() != null ? r.auth_type_in() : old != null ? AuthType.ofCode(old.inAuth) : AuthType.Login;
        if (side == Side.POP3 && inAuth == AuthType.CramMd5) {
            throw ApiException.invalid("auth_type_in", "CramMd5 is not available for POP3");
        }
        int inPort = r.port() != null ? r.port() : old != null && r.incoming_encryption_type() == null && r.imap() == null ? old.inPort : side.defaultPort(inEnc);
        String inLogin = r.account() != null ? r.account() : old != null ? old.inLogin : email;
        // stored secrets are opened only when the request relies on them: a new password repairs an unreadable one
        Supplier<String> oldInSecret = () -> old == null ? null : secrets.open(old.inSecret, MailAccount.secretContext(userPk, old.email, "in"));
        String inSecret = present(r.password()) ? r.password() : oldInSecret.get();
        if (inSecret == null) {
            throw ApiException.invalid("password", "is required for a new account");
        }

        Encryption smtpEnc = r.outcoming_encryption_type() != null ? r.outcoming_encryption_type()
                : old != null ? Encryption.ofCode(old.smtpEncryption) : Encryption.None;
        AuthType smtpAuthType = r.auth_type_smtp() != null ? r.auth_type_smtp()
                : old != null ? AuthType.ofCode(old.smtpAuthType) : AuthType.Login;
        boolean smtpAuth = r.smtp_auth() != null ? r.smtp_auth()
                : r.auth_type_smtp() != null ? r.auth_type_smtp() != AuthType.None
                : old == null || old.smtpAuth;
        int smtpPort = r.smtp_port() != null ? r.smtp_port()
                : old != null && r.outcoming_encryption_type() == null ? old.smtpPort : Side.SMTP.defaultPort(smtpEnc);
        String smtpLogin = r.smtp_account() != null ? r.smtp_account()
                : old != null && old.smtpLogin != null && !old.smtpLogin.equals(old.inLogin) ? old.smtpLogin : inLogin;
        String smtpSecret = null;
        if (smtpAuth && present(r.smtp_password())) {
            smtpSecret = r.smtp_password();
        } else if (smtpAuth) {
            String oldSmtp = old == null || old.smtpSecret == null ? null
                    : secrets.open(old.smtpSecret, MailAccount.secretContext(userPk, old.email, "smtp"));
            boolean sharedBefore = oldSmtp == null || oldSmtp.equals(oldInSecret.get());
            smtpSecret = sharedBefore ? inSecret : oldSmtp;
        }
        String name = r.name() != null ? r.name() : old != null ? old.name : "";
        boolean restrict = r.restrict() != null ? r.restrict() : old == null || old.restrictImport;
        return new Draft(email, name, imap, restrict,
                new ServerSettings(side, r.server(), inPort, inLogin, inSecret, inEnc, inAuth, true),
                new ServerSettings(Side.SMTP, r.smtp_server(), smtpPort, smtpLogin, smtpSecret, smtpEnc, smtpAuthType, smtpAuth),
                old == null || !mergesStoredState(r) ? null : old.version);
    }

    /**
     * Whether the request leaves something to the stored account (an omitted field or password):
     * such a merge must not land over a change made meanwhile. A complete request, as ONLYOFFICE
     * clients send, replaces the settings whatever happened in between.
     */
    private static boolean mergesStoredState(AccountRequest r) {
        return r.name() == null || r.account() == null || !present(r.password()) || r.port() == null
                || r.smtp_account() == null || r.smtp_port() == null || r.smtp_auth() == null || r.imap() == null
                || r.restrict() == null || r.incoming_encryption_type() == null || r.outcoming_encryption_type() == null
                || r.auth_type_in() == null || r.auth_type_smtp() == null
                || (!present(r.smtp_password()) && !Boolean.FALSE.equals(r.smtp_auth()));
    }

    /** The stored settings of one side, secrets decrypted, for re-verification. */
    private ServerSettings stored(MailAccount a, Side side) {
        if (side == Side.SMTP) {
            return new ServerSettings(Side.SMTP, a.smtpServer, a.smtpPort, a.smtpLogin,
                    a.smtpSecret == null ? null : secrets.open(a.smtpSecret, MailAccount.secretContext(a.userPk, a.email, "smtp")),
                    Encryption.ofCode(a.smtpEncryption), AuthType.ofCode(a.smtpAuthType), a.smtpAuth);
        }
        return new ServerSettings(side, a.inServer, a.inPort, a.inLogin,
                secrets.open(a.inSecret, MailAccount.secretContext(a.userPk, a.email, "in")),
                Encryption.ofCode(a.inEncryption), AuthType.ofCode(a.inAuth), true);
    }

    private List<Draft> candidates(long contextId, String email, String password) {
        String domain = email.substring(email.lastIndexOf('@') + 1);
        String local = email.substring(0, email.lastIndexOf('@'));
        List<Draft> out = new ArrayList<>();
        MailplaneConfig.MailAccounts.Provider p = config.providers().get(domain);
        if (p != null) {
            Encryption enc = Encryption.valueOf(p.encryption());
            Encryption smtpEnc = Encryption.valueOf(p.smtpEncryption());
            Side side = p.imap() ? Side.IMAP : Side.POP3;
            String login = "local-part".equals(p.login()) ? local : email;
            out.add(new Draft(email, null, p.imap(), true,
                    new ServerSettings(side, p.server(), p.port().orElse(side.defaultPort(enc)), login, password, enc, AuthType.Login, true),
                    new ServerSettings(Side.SMTP, p.smtpServer(), p.smtpPort().orElse(Side.SMTP.defaultPort(smtpEnc)), login, password, smtpEnc, AuthType.Login, true)));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> learned = em.createNativeQuery("""
                SELECT imap, in_server, in_port, in_encryption, smtp_server, smtp_port, smtp_encryption,
                       CASE WHEN in_login = email THEN 1 ELSE 0 END AS full_login, COUNT(*) AS uses
                FROM mail_accounts
                WHERE email_domain = ?1 AND user_pk IN (SELECT pk FROM users WHERE context_id = ?2)
                  AND in_auth IN (0, 1) AND smtp_auth AND smtp_auth_type IN (0, 1)
                  AND (in_login = email OR in_login = SUBSTRING_INDEX(email, '@', 1))
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
                ORDER BY uses DESC
                LIMIT 5""").setParameter(1, domain).setParameter(2, contextId).getResultList();
        for (Object[] row : learned) {
            boolean imap = row[0] instanceof Boolean b ? b : ((Number) row[0]).intValue() != 0;
            Side side = imap ? Side.IMAP : Side.POP3;
            String login = ((Number) row[7]).intValue() == 1 ? email : local;
            Draft d = new Draft(email, null, imap, true,
                    new ServerSettings(side, (String) row[1], ((Number) row[2]).intValue(), login, password,
                            Encryption.ofCode(((Number) row[3]).intValue()), AuthType.Login, true),
                    new ServerSettings(Side.SMTP, (String) row[4], ((Number) row[5]).intValue(), login, password,
                            Encryption.ofCode(((Number) row[6]).intValue()), AuthType.Login, true));
            if (out.stream().noneMatch(o -> o.in().equals(d.in()) && o.smtp().equals(d.smtp()))) {
                out.add(d);
            }
        }
        return out;
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

    private static boolean present(String secret) {
        return secret != null && !secret.isEmpty();
    }

    static ApiException notFound(String email) {
        return new ApiException(ErrorCode.MAIL_ACCOUNT_NOT_FOUND, "There is no external account " + email + ".");
    }
}
