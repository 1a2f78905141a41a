package io.mailplane.users;

import io.mailplane.common.ExpectedVersion;
import io.mailplane.directory.MailUser;

import io.mailplane.audit.AuditLog;
import io.mailplane.common.Addresses;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.Paging;
import io.mailplane.common.RowLocks;
import io.mailplane.directory.AddressRegistry;
import io.mailplane.domains.DomainService;
import io.mailplane.common.Invalidations;
import io.mailplane.directory.CredentialKeys;
import io.mailplane.security.Passwords;
import io.mailplane.security.Sessions;
import io.mailplane.directory.LoginClaims;
import io.mailplane.directory.Reseller;
import io.mailplane.directory.ResellerTree;
import io.mailplane.directory.TenantContext;
import io.mailplane.tenancy.Usage;
import io.mailplane.users.UserDtos.CreateUser;
import io.mailplane.users.UserDtos.UpdateUser;
import io.quarkus.arc.NoClassInterceptors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The users of a context and their whole-user writes: creation, update, password, deletion,
 * aliases, and the hooks other features write a user through (shared accounts, mailboxes). Every
 * write locks in {@link RowLocks}' order (the context's row when limits count, then the user's
 * row, then domains through {@link DomainService#requireUsable}, the root reseller last for the
 * tree's limits), keeps the address registry ({@link AddressRegistry}) in step, claims a new
 * user's login against the admin realms ({@link LoginClaims}), audits, and invalidates cached
 * credentials when a password changes or the user goes. Reads of one user ({@link #view}) run
 * without a transaction. Single attributes are {@link UserAttributeService}'s.
 *
 * <p>Over 300 lines on purpose: the writes share the address and limit checks and the lock order
 * above; split by operation, each part would have to repeat that order, and a change to it would
 * have to find every copy.
 */
@ApplicationScoped
@Transactional
public class UserService {
    private final UserRepository users;
    private final Passwords passwords;
    private final Invalidations invalidations;
    private final AuditLog audit;
    private final ResellerTree tree;
    private final Usage usage;
    private final RowLocks locks;
    private final Sessions sessions;
    private final DomainService domains;
    private final AddressRegistry addresses;
    private final LoginClaims logins;
    private final jakarta.enterprise.event.Event<Object> events;

    public UserService(UserRepository users, Passwords passwords, Invalidations invalidations, AuditLog audit,
                       ResellerTree tree, Usage usage, RowLocks locks, Sessions sessions,
                       DomainService domains, AddressRegistry addresses, LoginClaims logins,
                       jakarta.enterprise.event.Event<Object> events) {
        this.users = users;
        this.passwords = passwords;
        this.invalidations = invalidations;
        this.audit = audit;
        this.tree = tree;
        this.usage = usage;
        this.locks = locks;
        this.sessions = sessions;
        this.domains = domains;
        this.addresses = addresses;
        this.logins = logins;
        this.events = events;
    }

    public MailUser create(TenantContext context, CreateUser in) {
        // Slow on purpose: hashed before the context's row is locked, so creations in one context hash in parallel.
        return create(context, in, hashes(in.password()));
    }

    /** The hashes a user's password is stored as: the API's (bcrypt) and the mail server's (Argon2id). */
    public record PasswordHashes(String api, String mail) {
    }

    /** Hashes a password as a user's ({@link #create(TenantContext, CreateUser, PasswordHashes)}); slow on purpose, so without a transaction. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PasswordHashes hashes(String password) {
        return new PasswordHashes(passwords.hash(password), passwords.mailHash(password));
    }

    /**
     * Creates the user with its password hashed beforehand by {@link #hashes} ({@code in.password()}
     * is not read): the context's and its resellers' limits, address checks and audit as for any user.
     */
    public MailUser create(TenantContext context, CreateUser in, PasswordHashes hashes) {
        // Users of one context are created one at a time: ids, limits and uniqueness hold under concurrency.
        locks.context(context.id);
        TenantContext c = users.context(context.id);
        if (users.uidnameTaken(in.name(), null)) {
            throw new ApiException(ErrorCode.USER_EXISTS, "A user with login '" + in.name() + "' exists.");
        }
        long quota = in.quotaMb() == null ? 0 : in.quotaMb();
        checkContextLimits(c, 1, quota);
        MailUser u = new MailUser();
        u.contextId = c.id;
        u.userId = users.nextUserId(c.id);
        u.uidname = in.name();
        u.displayName = in.displayName();
        u.passwordHash = hashes.api();
        u.mailPasswordHash = hashes.mail();
        u.quotaMb = in.quotaMb();
        setAddresses(c, u, in.primaryEmail(), in.aliases() == null ? List.of() : in.aliases());
        checkTreeLimits(c, 1, quota);
        users.save(u);
        addresses.setUserAddresses(c.id, u.pk, u.primaryEmail, u.aliases);
        // No admin realm may sign in with this name too (409 USER_EXISTS); see LoginClaims.
        logins.claimForUser(u.uidname, u.pk);
        audit.record("user.create", "user " + u.userId + " (" + u.uidname + ") in context " + c.id, c.resellerId, c.id);
        return u;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<MailUser> user(TenantContext context, int userId) {
        return users.load(context.id, userId);
    }

    /**
     * The user as {@code GET} answers it, with its version: a read of one row (and its aliases) that
     * needs no transaction, so none is begun (the class's {@code @Transactional} does not apply).
     */
    @NoClassInterceptors
    public Optional<UserRepository.Versioned> view(TenantContext context, int userId) {
        return users.view(context.id, userId);
    }

    /** Summaries of the named users ({@code uidnames}), or of all users of the context, paged. */
    public List<UserSummary> summaries(TenantContext context, List<String> uidnames, Paging paging) {
        List<MailUser> found = uidnames == null ? users.page(context.id, paging)
                : uidnames.isEmpty() ? List.of()
                : users.named(context.id, uidnames);
        return found.stream().map(UserSummary::full).toList();
    }

    /**
     * Updates the user. Writers of one user are serialised on its row, so without an expected
     * version the last writer wins; with one, it must still be current (412).
     */
    public Optional<MailUser> update(TenantContext context, int userId, UpdateUser in, ExpectedVersion expected) {
        if (in.quotaMb() != null) {
            // The quota limits need the context's row; contexts are locked before users, never after.
            locks.context(context.id);
        }
        return lockedUser(context, userId).map(u -> {
            expected.check(u.version);
            if (in.displayName() != null) {
                u.displayName = in.displayName();
            }
            TenantContext c = null;
            long delta = 0;
            if (in.quotaMb() != null && !in.quotaMb().equals(u.quotaMb)) {
                c = users.context(context.id);
                delta = in.quotaMb() - (u.quotaMb == null ? 0 : u.quotaMb);
                checkContextLimits(c, 0, delta);
                u.quotaMb = in.quotaMb();
            }
            if (in.primaryEmail() != null || in.aliases() != null) {
                setAddresses(context, u, in.primaryEmail() != null ? in.primaryEmail() : u.primaryEmail,
                        in.aliases() != null ? in.aliases() : List.copyOf(u.aliases));
            }
            if (c != null) {
                checkTreeLimits(c, 0, delta);
            }
            users.save(u);
            audit.record("user.update", describe(u), context.resellerId, context.id);
            return u;
        });
    }

    public boolean changePassword(TenantContext context, int userId, String password) {
        String hash = passwords.hash(password); // slow on purpose: not while holding the user's row
        String mailHash = passwords.mailHash(password);
        return lockedUser(context, userId).map(u -> {
            events.fire(new UserEvents.PasswordChanging(context.id, u.pk, u.userId, u.uidname));
            u.passwordHash = hash;
            u.mailPasswordHash = mailHash;
            users.save(u);
            invalidations.changed(CredentialKeys.user(context.id, userId));
            sessions.revokeAllOf(u.pk);
            audit.record("user.password", describe(u), context.resellerId, context.id);
            return true;
        }).orElse(false);
    }

    /** Deletes the user; its addresses are freed with it (foreign keys of mail_addresses). */
    public boolean remove(TenantContext context, int userId, ExpectedVersion expected) {
        return lockedUser(context, userId).map(u -> {
            expected.check(u.version);
            events.fire(new UserEvents.Removing(context.id, u.pk, u.userId, u.uidname));
            users.remove(u);
            invalidations.changed(CredentialKeys.user(context.id, userId));
            audit.record("user.delete", describe(u), context.resellerId, context.id);
            return true;
        }).orElse(false);
    }

    /**
     * Gives the user (its row locked by the caller) a mailbox or takes it away (V15): without one it
     * keeps its login and addresses, but receives no mail and cannot log in to IMAP/POP3. A change
     * moves the user's version; the caller audits it (as part of the mailbox's change).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public MailUser setMailEnabled(MailUser u, boolean enabled) {
        if (u.mailEnabled != enabled) {
            u.mailEnabled = enabled;
            users.save(u);
            if (!enabled) {
                // caches of the account's mail side (pooled IMAP sessions of mail statistics) let go of it
                invalidations.changed(CredentialKeys.user(u.contextId, u.userId));
            }
        }
        return u;
    }

    /**
     * Sets the user's (row locked by the caller) password hashes as another feature decides them
     * (shared accounts: an API hash that never verifies, or no mail hash for MFA accounts), ending
     * its sessions and cached verifications like a password change. Fires no event; the caller audits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public MailUser setPasswordHashes(MailUser u, PasswordHashes hashes) {
        u.passwordHash = hashes.api();
        u.mailPasswordHash = hashes.mail();
        users.save(u);
        invalidations.changed(CredentialKeys.user(u.contextId, u.userId));
        sessions.revokeAllOf(u.pk);
        return u;
    }

    /** Adds an alias; one the user has already changes nothing and succeeds, also when requests race. */
    public Optional<MailUser> addAlias(TenantContext context, int userId, String alias) {
        String canonical = Addresses.require("alias", alias);
        return lockedUser(context, userId).map(u -> {
            if (canonical.equalsIgnoreCase(u.primaryEmail) || u.aliases.stream().anyMatch(canonical::equalsIgnoreCase)) {
                return u;
            }
            List<String> aliases = new ArrayList<>(u.aliases);
            aliases.add(canonical);
            setAddresses(context, u, u.primaryEmail, aliases);
            users.save(u);
            audit.record("user.alias.add", describe(u) + ": " + alias, context.resellerId, context.id);
            return u;
        });
    }

    public Optional<MailUser> removeAlias(TenantContext context, int userId, String alias) {
        String canonical = Addresses.require("alias", alias);
        return lockedUser(context, userId).map(u -> {
            if (u.aliases.removeIf(a -> a.equalsIgnoreCase(canonical))) {
                addresses.removeUserAlias(context.id, u.pk, canonical);
                users.save(u);
                audit.record("user.alias.remove", describe(u) + ": " + canonical, context.resellerId, context.id);
            }
            return u;
        });
    }

    /** The user, its row locked until the transaction ends; empty when there is no such user. */
    private Optional<MailUser> lockedUser(TenantContext context, int userId) {
        return locks.user(context.id, userId).flatMap(pk -> users.load(context.id, userId));
    }

    /**
     * Canonicalises and sets the addresses. Each must be on a domain of the context or a shared
     * domain of its brand (400), and free platform-wide: no other user's, no forwarding alias (409).
     * For an existing user the address registry is updated here; a new one registers its
     * addresses once it has its primary key. The registry's primary key decides races.
     */
    private void setAddresses(TenantContext context, MailUser u, String primary, List<String> aliases) {
        String canonicalPrimary = Addresses.require("primaryEmail", primary);
        domains.requireUsable(context, "primaryEmail", canonicalPrimary);
        Set<String> canonicalAliases = new LinkedHashSet<>();
        for (String alias : aliases) {
            String canonical = Addresses.require("aliases", alias);
            domains.requireUsable(context, "aliases", canonical);
            if (!canonical.equalsIgnoreCase(canonicalPrimary)
                    && canonicalAliases.stream().noneMatch(a -> a.equalsIgnoreCase(canonical))) {
                canonicalAliases.add(canonical);
            }
        }
        if (canonicalAliases.size() > UserDtos.MAX_ALIASES) {
            throw ApiException.invalid("aliases", "at most " + UserDtos.MAX_ALIASES + " aliases");
        }
        List<String> all = new ArrayList<>(canonicalAliases);
        all.add(canonicalPrimary);
        if (!addresses.takenByOthers(all, u.pk).isEmpty()) {
            throw new ApiException(ErrorCode.ADDRESS_EXISTS, "An address is already used by another user or a forwarding alias.");
        }
        if (u.pk != null) {
            addresses.setUserAddresses(u.contextId, u.pk, canonicalPrimary, canonicalAliases);
            if (!canonicalPrimary.equalsIgnoreCase(u.primaryEmail)) {
                // the mailbox's name changed: caches keyed by it (pooled IMAP sessions) let go of it
                invalidations.changed(CredentialKeys.user(u.contextId, u.userId));
            }
        }
        u.primaryEmail = canonicalPrimary;
        u.aliases.clear();
        u.aliases.addAll(new TreeSet<>(canonicalAliases));
    }

    /** The context's own limits (its row is locked). */
    private void checkContextLimits(TenantContext c, int newUsers, long quotaDelta) {
        if (newUsers > 0 && c.maxUsers != null && usage.usersIn(c.id) + newUsers > c.maxUsers) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "Context " + c.id + " may hold at most " + c.maxUsers + " users.");
        }
        if (quotaDelta > 0 && c.maxQuotaMb != null && usage.quotaIn(c.id) + quotaDelta > c.maxQuotaMb) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "Context " + c.id + " may hand out at most " + c.maxQuotaMb + " MB of quota.");
        }
    }

    /** The restrictions of the resellers above the context; checked last, as the root reseller is last in the lock order. */
    private void checkTreeLimits(TenantContext c, int newUsers, long quotaDelta) {
        List<Reseller> lineage = tree.lineage(c.resellerId);
        if (lineage.stream().anyMatch(r -> r.maxUsers != null || r.maxQuotaMb != null)) {
            // Tree-wide restrictions: serialise on the root reseller (after contexts, users and domains; see RowLocks).
            locks.reseller(lineage.get(lineage.size() - 1).id);
        }
        for (Reseller r : lineage) {
            if (newUsers > 0 && r.maxUsers != null && usage.usersUnder(r.id) + newUsers > r.maxUsers) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "Reseller " + r.name + " may hold at most " + r.maxUsers + " users.");
            }
            if (quotaDelta > 0 && r.maxQuotaMb != null && usage.quotaUnder(r.id) + quotaDelta > r.maxQuotaMb) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "Reseller " + r.name + " may hand out at most " + r.maxQuotaMb + " MB of quota.");
            }
        }
    }

    private static String describe(MailUser u) {
        return "user " + u.userId + " (" + u.uidname + ") in context " + u.contextId;
    }
}
