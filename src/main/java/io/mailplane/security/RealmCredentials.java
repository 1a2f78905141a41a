package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.CredentialKeys;
import io.mailplane.directory.DirectoryRepository;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The realms' side of a password check, without cache, throttle or single flight (those are
 * {@link CredentialVerifier}'s): which accounts a login names in every realm (master, reseller,
 * tenant, user, context admin) and which of them a password opens. The accounts are read through
 * {@link DirectoryRepository}, users through {@link SecurityRepository#userLogin} (the hash and the
 * MFA enrolment in one query). Callers run it inside a transaction of theirs (or with none).
 */
@ApplicationScoped
public class RealmCredentials {
    private final Passwords passwords;
    private final String masterLogin;
    /** The master password, or null when none is set; hashed on the first master sign-in, not at start-up. */
    private final String masterPassword;
    private volatile String masterHash;
    private final DirectoryRepository directory;
    private final SecurityRepository sessionsRepository;

    public RealmCredentials(Passwords passwords, DirectoryRepository directory, SecurityRepository sessionsRepository,
                            MailplaneConfig config) {
        this.passwords = passwords;
        this.directory = directory;
        this.sessionsRepository = sessionsRepository;
        this.masterLogin = config.master().login();
        this.masterPassword = config.master().password().filter(p -> !p.isBlank()).orElse(null);
    }

    /**
     * An account the login names: its key ({@link Account#key()}), its password hash, the account
     * once the password matched, and whether it also needs a one-time code ({@code mfa}).
     */
    record Candidate(String key, String hash, Supplier<Account> account, Consumer<String> onMatch, boolean mfa) {
        Candidate(String key, String hash, Supplier<Account> account) {
            this(key, hash, account, password -> { }, false);
        }
    }

    /** The accounts whose password matched: opened by it alone, or waiting for a one-time code. */
    record Matched(List<Account> byPassword, List<Account> needCode) {
    }

    /** The master password's hash, made once (a bcrypt, which start-up need not wait for). */
    private String masterHash() {
        String hash = masterHash;
        if (hash == null) {
            synchronized (this) {
                hash = masterHash;
                if (hash == null) {
                    hash = passwords.hash(masterPassword);
                    masterHash = hash;
                }
            }
        }
        return hash;
    }

    /** The accounts {@code login} (on a path naming {@code pathContext}) could open; reads, no hashing (but the master's first). */
    List<Candidate> candidates(String login, String pathContext) {
        List<Candidate> candidates = new ArrayList<>(1);
        if (masterPassword != null && login.equals(masterLogin)) {
            candidates.add(new Candidate("master:", masterHash(), () -> Account.master(login)));
        }
        directory.resellerByName(login).ifPresent(r -> candidates.add(new Candidate(CredentialKeys.reseller(r.id), r.passwordHash,
                () -> new Account(Realm.RESELLER, login, r.id, null, null, null))));
        directory.tenantCredentialByLogin(login).ifPresent(t -> candidates.add(new Candidate(CredentialKeys.tenant(t.resellerId),
                t.passwordHash, () -> new Account(Realm.TENANT, login, t.resellerId, null, null, null))));
        sessionsRepository.userLogin(login).ifPresent(u -> candidates.add(new Candidate(CredentialKeys.user(u.contextId(), u.userId()),
                u.passwordHash(), () -> new Account(Realm.USER, login, u.resellerId(), u.contextId(), u.userId(), u.pk()),
                password -> {
                    if (u.mailPasswordHash() == null && !u.mfa()) {
                        // a user from before V10: the mail server can verify its password from now on
                        // (never for an MFA user: the mail server cannot ask for the one-time code)
                        sessionsRepository.storeFirstMailHash(u.pk(), u.passwordHash(), passwords.mailHash(password));
                    }
                }, u.mfa())));
        contextAdministeredBy(login, pathContext).ifPresent(c -> candidates.add(new Candidate(CredentialKeys.contextAdmin(c.id),
                c.adminPasswordHash, () -> new Account(Realm.CONTEXT_ADMIN, login, c.resellerId, c.id,
                        TenantContext.ADMIN_USER_ID, null))));
        return candidates;
    }

    /** Which candidates the password opens (a check of every candidate's hash; a dummy one when there is none). */
    Matched verify(String password, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            passwords.burn(password);
            return new Matched(List.of(), List.of());
        }
        List<Account> accounts = new ArrayList<>(1);
        List<Account> needCode = new ArrayList<>(0);
        for (Candidate candidate : candidates) {
            if (passwords.matches(password, candidate.hash())) {
                (candidate.mfa() ? needCode : accounts).add(candidate.account().get());
                candidate.onMatch().accept(password);
            }
        }
        return new Matched(List.copyOf(accounts), List.copyOf(needCode));
    }

    /** {@code login} on a path with a context, or {@code login@<contextId|contextName>} anywhere. */
    private Optional<TenantContext> contextAdministeredBy(String login, String pathContext) {
        if (pathContext != null) {
            Optional<TenantContext> onPath = directory.contextByIdOrName(pathContext)
                    .filter(c -> c.adminLogin.equals(login));
            if (onPath.isPresent()) {
                return onPath;
            }
        }
        int at = login.lastIndexOf('@');
        if (at > 0 && at < login.length() - 1) {
            String admin = login.substring(0, at);
            return directory.contextByIdOrName(login.substring(at + 1)).filter(c -> c.adminLogin.equals(admin));
        }
        return Optional.empty();
    }
}
