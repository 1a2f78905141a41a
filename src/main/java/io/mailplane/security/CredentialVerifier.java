package io.mailplane.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Invalidations;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.WellFormed;
import io.mailplane.tenancy.Reseller;
import io.mailplane.tenancy.TenantContext;
import io.mailplane.tenancy.TenantCredential;
import io.mailplane.users.MailUser;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks login + password against every realm. Successful verifications are cached under a
 * keyed hash of login, password and path context, so the warm path does no slow hashing;
 * failures are never cached. {@link #evict(String)} drops every entry of an account at once.
 */
@ApplicationScoped
@Startup
public class CredentialVerifier {
    /** Long enough for every valid sign-in name ({@code login@contextName}); see {@link Login#MAX_SIGN_IN}. */
    private static final int MAX_LOGIN = Login.MAX_SIGN_IN;
    private static final int MAX_PASSWORD = 1024;

    private final Passwords passwords;
    private final String masterLogin;
    private final String masterHash;
    private final boolean cacheEnabled;
    private final Cache<String, List<Account>> cache;
    /** One initialised HMAC per thread: the warm path computes a cache key on every request. */
    private final ThreadLocal<Mac> hmac;
    /** Bumped by every eviction; a verification that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();

    public CredentialVerifier(Passwords passwords,
                              @ConfigProperty(name = "mailplane.master.login") String masterLogin,
                              @ConfigProperty(name = "mailplane.master.password") Optional<String> masterPassword,
                              @ConfigProperty(name = "mailplane.auth.cache.enabled") boolean cacheEnabled,
                              @ConfigProperty(name = "mailplane.auth.cache.ttl") Duration ttl,
                              @ConfigProperty(name = "mailplane.auth.cache.max-size") long maxSize) {
        this.passwords = passwords;
        this.masterLogin = masterLogin;
        this.masterHash = masterPassword.filter(p -> !p.isBlank()).map(passwords::hash).orElse(null);
        this.cacheEnabled = cacheEnabled;
        this.cache = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).build();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.hmac = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The accounts a cached verification of these credentials opened; never touches the database. */
    public Optional<List<Account>> cached(String login, String password, String pathContext) {
        if (!cacheEnabled || login == null || password == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(cache.getIfPresent(cacheKey(login, password, pathContext)));
    }

    /** Every account these credentials open; empty when none. */
    @ActivateRequestContext
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Account> authenticate(String login, String password, String pathContext) {
        if (login == null || password == null || login.isEmpty() || login.length() > MAX_LOGIN
                || password.length() > MAX_PASSWORD) {
            return List.of();
        }
        // Ill-formed UTF-16 never matches: an unpaired surrogate encodes like '?', so it would
        // reach the cache entry and the hash of a different password (issue 9, item 8).
        if (!WellFormed.Validator.isWellFormed(login) || !WellFormed.Validator.isWellFormed(password)) {
            return List.of();
        }
        String key = cacheEnabled ? cacheKey(login, password, pathContext) : null;
        if (key != null) {
            List<Account> cached = cache.getIfPresent(key);
            if (cached != null) {
                return cached;
            }
        }
        long startGeneration = generation.get();
        List<Account> accounts = verify(login, password, pathContext);
        if (key != null && !accounts.isEmpty() && generation.get() == startGeneration) {
            cache.put(key, accounts);
            if (generation.get() != startGeneration) {
                // an eviction ran between the check and the put: the verification may be stale
                cache.asMap().remove(key, accounts);
            }
        }
        return accounts;
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        evict(change.keyPrefix());
    }

    /** Drops cached verifications of every account whose key starts with {@code prefix}. */
    private void evict(String prefix) {
        generation.incrementAndGet();
        cache.asMap().values().removeIf(accounts -> accounts.stream().anyMatch(a -> a.key().startsWith(prefix)));
    }

    private List<Account> verify(String login, String password, String pathContext) {
        List<Account> accounts = new ArrayList<>(1);
        boolean checked = false;
        if (masterHash != null && login.equals(masterLogin)) {
            checked = true;
            if (passwords.matches(password, masterHash)) {
                accounts.add(Account.master(login));
            }
        }
        Optional<Reseller> reseller = Reseller.byName(login);
        if (reseller.isPresent()) {
            checked = true;
            if (passwords.matches(password, reseller.get().passwordHash)) {
                accounts.add(new Account(Realm.RESELLER, login, reseller.get().id, null, null, null));
            }
        }
        Optional<TenantCredential> tenant = TenantCredential.byLogin(login);
        if (tenant.isPresent()) {
            checked = true;
            if (passwords.matches(password, tenant.get().passwordHash)) {
                accounts.add(new Account(Realm.TENANT, login, tenant.get().resellerId, null, null, null));
            }
        }
        Optional<MailUser> user = MailUser.byUidname(login);
        if (user.isPresent()) {
            checked = true;
            MailUser u = user.get();
            if (passwords.matches(password, u.passwordHash)) {
                TenantContext context = TenantContext.findById(u.contextId);
                accounts.add(new Account(Realm.USER, login, context.resellerId, u.contextId, u.userId, u.pk));
            }
        }
        Optional<TenantContext> adminOf = contextAdministeredBy(login, pathContext);
        if (adminOf.isPresent()) {
            checked = true;
            TenantContext context = adminOf.get();
            if (passwords.matches(password, context.adminPasswordHash)) {
                accounts.add(new Account(Realm.CONTEXT_ADMIN, login, context.resellerId, context.id,
                        TenantContext.ADMIN_USER_ID, null));
            }
        }
        if (!checked) {
            passwords.burn(password);
        }
        return List.copyOf(accounts);
    }

    /** {@code login} on a path with a context, or {@code login@<contextId|contextName>} anywhere. */
    private Optional<TenantContext> contextAdministeredBy(String login, String pathContext) {
        if (pathContext != null) {
            Optional<TenantContext> onPath = TenantContext.byIdOrName(pathContext)
                    .filter(c -> c.adminLogin.equals(login));
            if (onPath.isPresent()) {
                return onPath;
            }
        }
        int at = login.lastIndexOf('@');
        if (at > 0 && at < login.length() - 1) {
            String admin = login.substring(0, at);
            return TenantContext.byIdOrName(login.substring(at + 1)).filter(c -> c.adminLogin.equals(admin));
        }
        return Optional.empty();
    }

    private String cacheKey(String login, String password, String pathContext) {
        Mac mac = hmac.get();
        for (String part : new String[] {login, password, pathContext == null ? "" : pathContext}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            mac.update((byte) (bytes.length >>> 8));
            mac.update((byte) bytes.length);
            mac.update(bytes);
        }
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }
}
