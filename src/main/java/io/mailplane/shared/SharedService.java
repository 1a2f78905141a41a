package io.mailplane.shared;

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
import io.mailplane.security.Mfa;
import io.mailplane.security.Passwords;
import io.mailplane.shared.SharedDtos.CreateShared;
import io.mailplane.shared.SharedDtos.DelegateView;
import io.mailplane.shared.SharedDtos.Delegation;
import io.mailplane.shared.SharedDtos.DelegatedView;
import io.mailplane.shared.SharedDtos.MfaView;
import io.mailplane.shared.SharedDtos.Permission;
import io.mailplane.shared.SharedDtos.SharedAccountView;
import io.mailplane.shared.SharedDtos.Type;
import io.mailplane.shared.SharedDtos.UpdateShared;
import io.mailplane.shared.SharedRepository.Kind;
import io.mailplane.shared.SharedRepository.Row;
import io.mailplane.users.UserDtos.CreateUser;
import io.mailplane.users.UserDtos.UpdateUser;
import io.mailplane.users.UserService;
import io.mailplane.users.UserService.PasswordHashes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shared accounts (seed 002): a user of the context (the backing user, created and changed through
 * {@link UserService}: limits, address registry and audit as for any user) plus an owner, a type
 * and delegates. Every write holds the account's rows ({@link RowLocks#sharedAccount}); a creation
 * first the context's row, and a creation or owner transfer then the owner's row, so an owner
 * cannot be deleted while an account is being given to it.
 *
 * <p>Who may change delegates: context admins (admin API) for every account of their context; with
 * user auth the owner and {@code manage} delegates. A user with only other permissions gets 403,
 * a user with no relation to the account 404.
 *
 * <p>Over 300 lines on purpose: the account's writes and its delegate rules take the same rows in
 * the same order (account, then owner) and share the check of who may act; split apart, that
 * order and that check would live in two classes that must never drift from each other.
 */
@ApplicationScoped
@Transactional
public class SharedService {
    /** The API password hash of an account without a password: not a bcrypt hash, so it never verifies (no one signs in as it). */
    static final String NO_PASSWORD = "!shared-account-without-password";

    private final SharedRepository repository;
    private final UserService users;
    private final RowLocks locks;
    private final AuditLog audit;
    private final Passwords passwords;
    private final Mfa mfa;

    public SharedService(SharedRepository repository, UserService users, RowLocks locks, AuditLog audit, Passwords passwords, Mfa mfa) {
        this.repository = repository;
        this.users = users;
        this.locks = locks;
        this.audit = audit;
        this.passwords = passwords;
        this.mfa = mfa;
    }

    public SharedAccountView create(TenantContext context, CreateShared in) {
        Type type = Type.of(in.type()).orElseThrow(() -> ApiException.invalid("type", "must be mailbox, sso or mailbox_sso"));
        if (type.password != (in.password() != null)) {
            throw ApiException.invalid("password", type.password ? "is required for type " + type.wire
                    : "must be absent for type mailbox (no one signs in as it; mailbox_sso has a password)");
        }
        String address = Addresses.require("address", in.address());
        // Slow on purpose, so before any lock. MFA accounts get no mail-server hash: Dovecot cannot ask for a code.
        PasswordHashes hashes = new PasswordHashes(type.password ? passwords.hash(in.password()) : NO_PASSWORD, null);
        locks.context(context.id);
        SharedRepository.UserRef owner = owner(context, in.owner());
        MailUser u = asAddressField(() -> users.create(context, new CreateUser(address, null,
                in.displayName() != null ? in.displayName() : address, address, List.of(), null), hashes));
        if (!type.mail) {
            users.setMailEnabled(u, false);
        }
        long id = repository.insert(context.id, u.pk, owner.pk(), type.wire);
        MfaView enrolment = type.password ? new MfaView(mfa.enrol(u.pk, u.uidname).otpauthUri()) : null;
        audit.record("shared.create", describe(address, context) + ": type " + type.wire + ", owner user " + owner.userId()
                + " (" + owner.login() + ")", context.resellerId, context.id);
        return view(repository.byId(id).orElseThrow()).withMfa(enrolment);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<SharedAccountView> find(TenantContext context, String rawAddress) {
        return Addresses.address(rawAddress).flatMap(a -> repository.byAddress(context.id, a)).map(this::view);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SharedAccountView> list(TenantContext context, Paging paging) {
        return views(repository.page(context.id, paging.offset(), paging.limit()));
    }

    /** Changes display name, owner and password (see {@link UpdateShared}); 404 when the context has no such account. */
    public SharedAccountView update(TenantContext context, String rawAddress, UpdateShared in, ExpectedVersion expected) {
        if (in.getDisplayName() == null && in.getOwner() == null && !in.passwordGiven()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Nothing to update: give displayName, owner or password.");
        }
        String newPassword = in.getPassword();
        String hash = newPassword == null ? null : passwords.hash(newPassword); // before any lock
        String address = address(rawAddress);
        long id = locks.sharedAccount(context.id, address).orElseThrow(() -> notFound(rawAddress));
        Row row = repository.byId(id).orElseThrow();
        expected.check(row.etag());
        Type type = Type.of(row.type()).orElseThrow();
        List<String> changed = new ArrayList<>();
        MfaView enrolment = null;
        Type newType = type;
        if (in.passwordGiven()) {
            MailUser u = users.user(context, row.userId()).orElseThrow();
            if (newPassword != null) {
                users.setPasswordHashes(u, new PasswordHashes(hash, null));
                if (!type.password) {
                    newType = Type.MAILBOX_SSO;
                    enrolment = new MfaView(mfa.enrol(u.pk, u.uidname).otpauthUri());
                }
                changed.add("password");
            } else if (type == Type.SSO) {
                throw ApiException.invalid("password", "an sso account cannot be without a password (it has no mailbox)");
            } else if (type == Type.MAILBOX_SSO) {
                users.setPasswordHashes(u, new PasswordHashes(NO_PASSWORD, null));
                mfa.remove(u.pk);
                newType = Type.MAILBOX;
                changed.add("password removed");
            }
        }
        if (in.getDisplayName() != null && !in.getDisplayName().equals(row.displayName())) {
            users.update(context, row.userId(), new UpdateUser(in.getDisplayName(), null, null, null), ExpectedVersion.ANY);
            changed.add("displayName");
        }
        Long ownerPk = null;
        if (in.getOwner() != null && in.getOwner() != row.ownerId()) {
            SharedRepository.UserRef owner = owner(context, in.getOwner());
            ownerPk = owner.pk();
            audit.record("shared.owner", describe(address, context) + ": owner user " + row.ownerId() + " (" + row.ownerLogin()
                    + ") → user " + owner.userId() + " (" + owner.login() + ")", context.resellerId, context.id);
        }
        if (ownerPk != null || newType != type) {
            repository.update(id, ownerPk, newType == type ? null : newType.wire);
        }
        if (newType != type) {
            changed.add("type " + type.wire + " → " + newType.wire);
        }
        if (!changed.isEmpty()) {
            audit.record("shared.update", describe(address, context) + ": " + String.join(", ", changed), context.resellerId, context.id);
        }
        return view(repository.byId(id).orElseThrow()).withMfa(enrolment);
    }

    /** Deletes the account: its backing user (with its addresses) and its delegations. */
    public boolean delete(TenantContext context, String rawAddress, ExpectedVersion expected) {
        Optional<String> address = Addresses.address(rawAddress);
        Optional<Long> locked = address.flatMap(a -> locks.sharedAccount(context.id, a));
        if (locked.isEmpty()) {
            return false;
        }
        Row row = repository.byId(locked.get()).orElseThrow();
        expected.check(row.etag());
        if (Type.of(row.type()).orElseThrow().password) {
            mfa.remove(row.userPk());
        }
        repository.delete(row.id());
        // The account row is gone, so the users feature's veto (SharedUserGuard) lets its user go.
        users.remove(context, row.userId(), ExpectedVersion.ANY);
        audit.record("shared.delete", describe(row.address(), context) + " (user " + row.userId() + ")", context.resellerId, context.id);
        return true;
    }

    /** Who acts on delegates: a context admin (everything in the context), or a user (owner or manage delegate). */
    public record Actor(Long userPk) {
        static final Actor ADMIN = new Actor(null);

        public static Actor admin() {
            return ADMIN;
        }

        public static Actor user(long userPk) {
            return new Actor(userPk);
        }
    }

    /** Sets a delegation of a user or group of the context; whether it is new (no current one was replaced). */
    public record DelegateResult(DelegateView delegate, boolean created) {
    }

    public DelegateResult setDelegate(TenantContext context, Actor actor, String rawAddress, Kind kind, String rawId, Delegation in) {
        int bits = Permission.bits(in.permissions());
        if (in.until() != null && !in.until().isAfter(Instant.now())) {
            throw ApiException.invalid("until", "must be in the future");
        }
        long principalId = principalId(kind, rawId);
        String address = address(rawAddress);
        long id = locks.sharedAccount(context.id, address).orElseThrow(() -> notFound(rawAddress));
        Row row = repository.byId(id).orElseThrow();
        authorize(actor, row, rawAddress);
        Principal p = principal(context, kind, principalId, row);
        repository.pruneExpired(id);
        boolean replaced = repository.setDelegate(id, kind, p.pk, bits, in.until());
        repository.update(id, null, null);
        DelegateView view = new DelegateView(kind.wire, p.id, p.name, Permission.names(bits), in.until());
        audit.record("shared.delegate.set", describe(address, context) + ": " + kind.wire + " " + p.id + " (" + p.name + ") "
                + view.permissions() + (in.until() == null ? "" : " until " + in.until()), context.resellerId, context.id);
        return new DelegateResult(view, !replaced);
    }

    public void removeDelegate(TenantContext context, Actor actor, String rawAddress, Kind kind, String rawId) {
        long principalId = principalId(kind, rawId);
        String address = address(rawAddress);
        long id = locks.sharedAccount(context.id, address).orElseThrow(() -> notFound(rawAddress));
        Row row = repository.byId(id).orElseThrow();
        authorize(actor, row, rawAddress);
        Principal p = principal(context, kind, principalId, null);
        if (!repository.removeDelegate(id, kind, p.pk)) {
            throw new ApiException(ErrorCode.DELEGATE_NOT_FOUND, "The " + kind.wire + " " + principalId + " is no delegate of " + address + ".");
        }
        repository.pruneExpired(id);
        repository.update(id, null, null);
        audit.record("shared.delegate.remove", describe(address, context) + ": " + kind.wire + " " + p.id + " (" + p.name + ")",
                context.resellerId, context.id);
    }

    /** The shared accounts the user owns, each with its current delegates. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SharedAccountView> owned(long userPk) {
        return views(repository.ownedBy(userPk));
    }

    /** The shared accounts the user may use, with its effective permissions. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DelegatedView> delegated(long userPk) {
        return repository.delegatedTo(userPk).stream()
                .map(d -> new DelegatedView(d.address(), d.displayName(), d.type(), d.ownerLogin(), Permission.names(d.permissions())))
                .toList();
    }

    /** The owner (400 when it is a shared account itself, 404 when no user of the context), its row locked. */
    private SharedRepository.UserRef owner(TenantContext context, long ownerId) {
        SharedRepository.UserRef owner = repository.user(context.id, ownerId).filter(o -> locks.userByPk(o.pk()))
                .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "Owner " + ownerId + " is no user of this context.",
                        List.of(new Problem.FieldError("owner", "no such user in this context"))));
        if (repository.isSharedAccount(owner.pk())) {
            throw ApiException.invalid("owner", "is a shared account; the owner must be a person's user");
        }
        return owner;
    }

    /** Runs a write of the users feature, naming its primaryEmail/name field as this API does ("address"). */
    private static MailUser asAddressField(java.util.function.Supplier<MailUser> write) {
        try {
            return write.get();
        } catch (ApiException e) {
            if (e.errors.isEmpty()) {
                throw e;
            }
            String detail = e.getMessage() == null ? null : e.getMessage().replace("primaryEmail:", "address:");
            throw new ApiException(e.code, detail, e.errors.stream().map(fe -> new Problem.FieldError(
                    fe.field().equals("primaryEmail") || fe.field().equals("name") ? "address" : fe.field(), fe.message())).toList(), e.details);
        }
    }

    private record Principal(long pk, int id, String name) {
    }

    /** The delegate named on the path: a user (not a shared account) or a group of the context; 404 otherwise. */
    private Principal principal(TenantContext context, Kind kind, long principalId, Row settingOn) {
        if (kind == Kind.USER) {
            SharedRepository.UserRef u = repository.user(context.id, principalId).orElseThrow(() ->
                    new ApiException(ErrorCode.USER_NOT_FOUND, "User " + principalId + " does not exist in this context."));
            if (settingOn != null && repository.isSharedAccount(u.pk())) {
                throw ApiException.invalid("userId", "is a shared account; delegates are people's users or groups");
            }
            return new Principal(u.pk(), u.userId(), u.login());
        }
        SharedRepository.GroupRef g = repository.group(context.id, principalId).orElseThrow(() ->
                new ApiException(ErrorCode.GROUP_NOT_FOUND, "Group " + principalId + " does not exist in this context."));
        return new Principal(g.pk(), g.groupId(), g.name());
    }

    private static long principalId(Kind kind, String raw) {
        return io.mailplane.common.Ids.positiveInt(kind == Kind.USER ? "userId" : "groupId", raw);
    }

    /** Admins may; a user only as owner or manage delegate: 403 with another delegation, 404 without any relation. */
    private void authorize(Actor actor, Row row, String rawAddress) {
        if (actor.userPk() == null || actor.userPk() == row.ownerPk()) {
            return;
        }
        int bits = repository.effectivePermissions(row.id(), actor.userPk());
        if ((bits & Permission.MANAGE.bit) != 0) {
            return;
        }
        if (bits != 0) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only the owner and delegates with the manage permission change the delegates of "
                    + row.address() + ".");
        }
        throw notFound(rawAddress);
    }

    private SharedAccountView view(Row r) {
        return views(List.of(r)).get(0);
    }

    private List<SharedAccountView> views(List<Row> rows) {
        Map<Long, List<DelegateView>> delegates = repository.delegates(rows.stream().map(Row::id).toList());
        return rows.stream().map(r -> new SharedAccountView(r.address(), r.displayName(), r.type(), r.userId(), r.ownerId(), r.ownerLogin(),
                r.mailEnabled(), delegates.getOrDefault(r.id(), List.of()), null, r.createdAt(), r.etag())).toList();
    }

    private static String address(String raw) {
        return Addresses.address(raw).orElseThrow(() -> notFound(raw));
    }

    static ApiException notFound(String address) {
        return new ApiException(ErrorCode.SHARED_ACCOUNT_NOT_FOUND, "Shared account " + address + " does not exist in this context.");
    }

    private static String describe(String address, TenantContext context) {
        return "shared account " + address + " in context " + context.id;
    }
}
