package io.mailplane.mailboxes;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.ExpectedVersion;
import io.mailplane.common.Paging;
import io.mailplane.common.Problem;
import io.mailplane.common.RowLocks;
import io.mailplane.directory.MailUser;
import io.mailplane.directory.TenantContext;
import io.mailplane.mailboxes.MailboxDtos.CreateMailbox;
import io.mailplane.mailboxes.MailboxDtos.Created;
import io.mailplane.mailboxes.MailboxDtos.MailboxView;
import io.mailplane.mailboxes.MailboxDtos.NewUser;
import io.mailplane.mailboxes.MailboxDtos.UpdateMailbox;
import io.mailplane.users.UserDtos.CreateUser;
import io.mailplane.users.UserDtos.UpdateUser;
import io.mailplane.users.UserService;
import io.mailplane.users.UserService.PasswordHashes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Exchange-style mailboxes. A mailbox belongs to one user and adds the protocol flags, the
 * alias and the migration marks; its addresses and size limit are the user's own, written
 * through {@link UserService} (limits, address registry, domain checks and audit in one place).
 * Every write to a mailbox holds its user's row (see {@link RowLocks#mailbox}); a creation and
 * a change of alias or size limit first hold the context's row, as user creations and quota
 * changes do.
 */
@ApplicationScoped
@Transactional
public class MailboxService {
    /** Field names of the users API → those of this API, for errors that the users feature reports. */
    private static final Map<String, String> USER_FIELDS = Map.of(
            "primaryEmail", "primary_email_address", "aliases", "alt_email_addresses", "quotaMb", "size_limit");

    private final MailboxRepository repository;
    private final UserService users;
    private final RowLocks locks;
    private final AuditLog audit;

    public MailboxService(MailboxRepository repository, UserService users, RowLocks locks, AuditLog audit) {
        this.repository = repository;
        this.users = users;
        this.locks = locks;
        this.audit = audit;
    }

    /** What a creation prepares outside its transaction: the new user's password hashes and, when generated, the password. */
    public record Prepared(PasswordHashes hashes, String generatedPassword) {
        static final Prepared NOTHING = new Prepared(null, null);
    }

    /**
     * Checks what needs no database, and hashes the password of a user that is to be created
     * (generating one when none was given): the hashes (bcrypt for the API, Argon2id for the mail
     * server) are slow on purpose, so they run before the creation's transaction, without a lock held.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Prepared prepare(CreateMailbox in) {
        if ((in.user_id() == null) == (in.new_user() == null)) {
            String message = "give exactly one of user_id and new_user";
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Give exactly one of user_id (an existing user) and new_user.",
                    List.of(new Problem.FieldError("user_id", message), new Problem.FieldError("new_user", message)));
        }
        MailboxDtos.quotaMb(in.size_limit());
        if (in.new_user() == null || repository.loginExists(in.new_user().login())) {
            return Prepared.NOTHING;
        }
        return hashFor(in.new_user());
    }

    private Prepared hashFor(NewUser user) {
        String generated = user.password() == null ? GeneratedPasswords.next() : null;
        return new Prepared(users.hashes(generated != null ? generated : user.password()), generated);
    }

    /**
     * Creates the mailbox for the existing user ({@code user_id}, or {@code new_user} whose login
     * is a user of this context), or creates the user first. 409 when the user has a mailbox,
     * when the alias is taken in the context, or when a new login is someone else's.
     */
    public Created create(TenantContext context, CreateMailbox in, Prepared prepared) {
        Long quotaMb = MailboxDtos.quotaMb(in.size_limit());
        // As for every user creation and quota change: the context's row first (limits, ids, aliases).
        locks.context(context.id);
        if (repository.aliasTaken(context.id, in.alias(), -1)) {
            throw aliasTaken(in.alias());
        }
        MailUser owner;
        String shownPassword = null;
        Optional<Integer> existing = Optional.ofNullable(in.user_id());
        if (existing.isEmpty()) {
            Optional<MailboxRepository.UserRef> named = repository.userByLogin(in.new_user().login());
            if (named.isPresent() && named.get().contextId() != context.id) {
                // Logins are unique platform-wide: another context's user never gets a mailbox here.
                throw new ApiException(ErrorCode.USER_EXISTS, "A user with login '" + in.new_user().login() + "' exists.");
            }
            existing = named.map(MailboxRepository.UserRef::userId);
        }
        if (existing.isPresent()) {
            int userId = existing.get();
            // Locked before it is read, so what is read is what the write will change.
            if (locks.user(context.id, userId).isEmpty()) {
                throw userNotFound(userId);
            }
            MailUser u = users.user(context, userId).orElseThrow(() -> userNotFound(userId));
            if (repository.isSharedAccount(u.pk)) {
                throw new ApiException(ErrorCode.SHARED_ACCOUNT_USER, "User " + u.userId + " (" + u.uidname
                        + ") is a shared account; its type decides whether it has a mailbox (PUT .../sharedaccounts/{address}).");
            }
            if (repository.userHasMailbox(u.pk)) {
                throw new ApiException(ErrorCode.MAILBOX_EXISTS, "User " + u.userId + " (" + u.uidname + ") already has a mailbox.");
            }
            owner = users.setMailEnabled(changeUser(context, u, in.primary_email_address(), in.alt_email_addresses(), quotaMb), true);
        } else {
            NewUser n = in.new_user();
            // The login was taken when the request was prepared and has been freed since: hash now.
            Prepared p = prepared.hashes() != null ? prepared : hashFor(n);
            CreateUser user = new CreateUser(n.login(), null, n.display_name() != null ? n.display_name() : n.login(),
                    in.primary_email_address(), in.alt_email_addresses() == null ? List.of() : in.alt_email_addresses(), quotaMb);
            owner = withMailboxFields(() -> users.create(context, user, p.hashes()));
            shownPassword = p.generatedPassword();
        }
        Mailbox m = new Mailbox();
        m.contextId = context.id;
        m.userPk = owner.pk;
        m.alias = in.alias();
        m.owa = orTrue(in.owa());
        m.mapi = orTrue(in.mapi());
        m.activeSync = orTrue(in.active_sync());
        m.imap4 = orTrue(in.imap4());
        m.pop3 = orTrue(in.pop3());
        m.skipInitialization = Boolean.TRUE.equals(in.skip_initialization());
        m.migrated = Boolean.TRUE.equals(in.mark_migrated());
        repository.save(m);
        audit.record("mailbox.create", describe(m, owner) + flags(m), context.resellerId, context.id);
        return new Created(m.id, shownPassword, MailboxDtos.version(m, owner));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<MailboxView> find(TenantContext context, long mailboxId) {
        return repository.inContext(context.id, mailboxId)
                .flatMap(m -> repository.user(m.userPk).map(u -> MailboxView.of(m, u)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MailboxView> list(TenantContext context, Paging paging) {
        List<Mailbox> page = repository.page(context.id, paging);
        Map<Long, MailUser> owners = repository.users(page.stream().map(m -> m.userPk).toList());
        return page.stream().filter(m -> owners.containsKey(m.userPk)).map(m -> MailboxView.of(m, owners.get(m.userPk))).toList();
    }

    /** Changes what the request holds; writers of one mailbox are serialised on its user's row. */
    public Optional<MailboxView> update(TenantContext context, long mailboxId, UpdateMailbox in, ExpectedVersion expected) {
        Long quotaMb = MailboxDtos.quotaMb(in.size_limit());
        if (in.alias() != null || quotaMb != null) {
            // Aliases are unique per context and quotas count against its limits: its row comes first.
            locks.context(context.id);
        }
        if (locks.mailbox(context.id, mailboxId).isEmpty()) {
            return Optional.empty();
        }
        Mailbox m = repository.inContext(context.id, mailboxId).orElseThrow();
        MailUser u = repository.user(m.userPk).orElseThrow();
        expected.check(MailboxDtos.version(m, u));
        if (in.alias() != null && !in.alias().equals(m.alias)) {
            if (repository.aliasTaken(context.id, in.alias(), m.id)) {
                throw aliasTaken(in.alias());
            }
            m.alias = in.alias();
        }
        m.owa = Objects.requireNonNullElse(in.owa(), m.owa);
        m.mapi = Objects.requireNonNullElse(in.mapi(), m.mapi);
        m.activeSync = Objects.requireNonNullElse(in.active_sync(), m.activeSync);
        m.imap4 = Objects.requireNonNullElse(in.imap4(), m.imap4);
        m.pop3 = Objects.requireNonNullElse(in.pop3(), m.pop3);
        m.migrated = Objects.requireNonNullElse(in.mark_migrated(), m.migrated);
        MailUser owner = changeUser(context, u, in.primary_email_address(), in.alt_email_addresses(), quotaMb);
        repository.save(m);
        audit.record("mailbox.update", describe(m, owner) + flags(m), context.resellerId, context.id);
        return Optional.of(MailboxView.of(m, owner));
    }

    /**
     * Deletes the mailbox; its user stays, with its login, addresses, password and quota, but without
     * mail: Postfix refuses its addresses and Dovecot its logins until it gets a mailbox again.
     */
    public boolean delete(TenantContext context, long mailboxId, ExpectedVersion expected) {
        if (locks.mailbox(context.id, mailboxId).isEmpty()) {
            return false;
        }
        Mailbox m = repository.inContext(context.id, mailboxId).orElseThrow();
        MailUser u = repository.user(m.userPk).orElseThrow();
        expected.check(MailboxDtos.version(m, u));
        repository.delete(m);
        // No mailbox, no mail (V15): the user keeps its addresses, the mail servers no longer know them.
        users.setMailEnabled(u, false);
        audit.record("mailbox.delete", describe(m, u) + ": mail disabled", context.resellerId, context.id);
        return true;
    }

    /**
     * Gives the user (its row locked) the mailbox's addresses and quota where they differ from
     * its own, through the users feature; {@code null} leaves a value as it is.
     */
    private MailUser changeUser(TenantContext context, MailUser u, String primary, List<String> alternatives, Long quotaMb) {
        String newPrimary = primary == null || canonical(primary).equals(canonical(u.primaryEmail)) ? null : primary;
        List<String> newAliases = alternatives == null || addressSet(alternatives, primary != null ? primary : u.primaryEmail)
                .equals(addressSet(u.aliases, u.primaryEmail)) ? null : alternatives;
        Long newQuota = quotaMb == null || quotaMb.equals(u.quotaMb) ? null : quotaMb;
        if (newPrimary == null && newAliases == null && newQuota == null) {
            return u;
        }
        return withMailboxFields(() -> users.update(context, u.userId, new UpdateUser(null, newPrimary, newAliases, newQuota), ExpectedVersion.ANY)
                .orElseThrow(() -> userNotFound(u.userId)));
    }

    /** Runs a write of the users feature, naming fields in its refusals as this API does. */
    private static MailUser withMailboxFields(java.util.function.Supplier<MailUser> write) {
        try {
            return write.get();
        } catch (ApiException e) {
            if (e.errors.isEmpty()) {
                throw e;
            }
            String detail = e.getMessage();
            for (Map.Entry<String, String> f : USER_FIELDS.entrySet()) {
                detail = detail == null ? null : detail.replace(f.getKey() + ":", f.getValue() + ":");
            }
            throw new ApiException(e.code, detail, e.errors.stream()
                    .map(fe -> new Problem.FieldError(USER_FIELDS.getOrDefault(fe.field(), fe.field()), fe.message())).toList(), e.details);
        }
    }

    /** The addresses without the primary one, canonical and in lower case, for comparing. */
    private static Set<String> addressSet(java.util.Collection<String> addresses, String primary) {
        String p = canonical(primary);
        return addresses.stream().map(MailboxService::canonical).filter(a -> !a.equals(p)).collect(Collectors.toSet());
    }

    private static String canonical(String address) {
        return Addresses.address(address).orElse(address).toLowerCase(Locale.ROOT);
    }

    private static boolean orTrue(Boolean flag) {
        return flag == null || flag;
    }

    private static ApiException userNotFound(int userId) {
        return new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userId + " does not exist in this context.");
    }

    private static ApiException aliasTaken(String alias) {
        return new ApiException(ErrorCode.MAILBOX_ALIAS_EXISTS, "A mailbox of this context has the alias '" + alias + "'.");
    }

    private static String describe(Mailbox m, MailUser u) {
        return "mailbox " + m.id + " (" + m.alias + ") of user " + u.userId + " (" + u.uidname + ") in context " + m.contextId;
    }

    private static String flags(Mailbox m) {
        return ": owa=" + m.owa + " mapi=" + m.mapi + " active_sync=" + m.activeSync + " imap4=" + m.imap4 + " pop3=" + m.pop3;
    }
}
