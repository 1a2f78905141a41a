package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.CredentialKeys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Invalidations;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.WellFormed;
import io.mailplane.directory.DirectoryRepository;
import io.mailplane.directory.TenantContext;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks login + password against every realm. Successful verifications are cached under a
 * keyed hash of login, password and path context, so the warm path does no slow hashing;
 * failures are never cached. {@link #evict(String)} drops every entry of an account at once.
 * Password checks (not cache hits) are throttled by {@link LoginThrottle}. The accounts a login
 * names are read through {@link DirectoryRepository}, the repository of the account entities,
 * users through {@link SecurityRepository#userLogin} (the hash and the MFA enrolment in one query).
 *
 * <p>A user enrolled in MFA ({@link Mfa}) is never opened by a password alone: only a sign-in
 * that passes a {@link SecondFactor} admits it, and such an admission is never cached, so no
 * later Basic request can answer from it.
 */
@ApplicationScoped
@Startup
public class CredentialVerifier {
    /** Long enough for every valid sign-in name ({@code login@contextName}); see {@link Login#MAX_SIGN_IN}. */
    private static final int MAX_LOGIN = Login.MAX_SIGN_IN;
    private static final int MAX_PASSWORD = 1024;
    /** A request waits at most this long for the check it joined (which itself has the database's bounds). */
    static final Duration FOLLOWER_WAIT = Duration.ofSeconds(60);
    /** Refreshes waiting for a refresher thread at most; beyond, entries expire as usual. */
    private static final int REFRESH_QUEUE = 1024;
    private static final Logger LOG = Logger.getLogger(CredentialVerifier.class);

    private final Passwords passwords;
    private final String masterLogin;
    /** The master password, or null when none is set; hashed on the first master sign-in, not at start-up. */
    private final String masterPassword;
    private volatile String masterHash;
    private final boolean cacheEnabled;
    private final Cache<String, Verified> cache;
    /** Age after which a cache hit also re-verifies its entry in the background (the last fifth of the TTL). */
    private final long refreshAfterNanos;
    /** Runs the re-verifications ahead of expiry, off the request threads; bounded, and never more than one per key. */
    private final ThreadPoolExecutor refresher;
    /** Cache key → the password check of those credentials under way ({@link #flight}). */
    private final ConcurrentHashMap<String, CompletableFuture<List<Account>>> inFlight = new ConcurrentHashMap<>();
    /** One initialised HMAC per thread: the warm path computes a cache key on every request. */
    private final ThreadLocal<Mac> hmac;
    /** Bumped by every eviction; a verification that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();
    private final LoginThrottle throttle;
    private final DirectoryRepository directory;
    private final SecurityRepository sessionsRepository;
    private final AuthMeters meters;
    /** This bean through its client proxy: a refresh needs the request context and transaction interceptors. */
    @Inject
    Instance<CredentialVerifier> self;

    /** A verification: the accounts the credentials opened, and when ({@link System#nanoTime()}). */
    record Verified(List<Account> accounts, long at) {
    }

    public CredentialVerifier(Passwords passwords, LoginThrottle throttle, DirectoryRepository directory,
                              SecurityRepository sessionsRepository, MailplaneConfig config, AuthMeters meters) {
        this.passwords = passwords;
        this.meters = meters;
        this.sessionsRepository = sessionsRepository;
        this.directory = directory;
        this.throttle = throttle;
        this.masterLogin = config.master().login();
        this.masterPassword = config.master().password().filter(p -> !p.isBlank()).orElse(null);
        this.cacheEnabled = config.auth().cache().enabled();
        Duration ttl = config.auth().cache().ttl();
        this.cache = Caffeine.newBuilder().maximumSize(config.auth().cache().maxSize()).expireAfterWrite(ttl).build();
        this.refreshAfterNanos = ttl.toNanos() - ttl.toNanos() / 5;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger named = new AtomicInteger();
        this.refresher = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(REFRESH_QUEUE), r -> {
            Thread t = new Thread(r, "credential-refresh-" + named.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.refresher.allowCoreThreadTimeOut(true);
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
        // Ill-formed UTF-16 encodes an unpaired surrogate like '?': its cache key would be that of
        // another password, so such credentials never answer from the cache (nor verify at all).
        if (!WellFormed.Validator.isWellFormed(login) || !WellFormed.Validator.isWellFormed(password)) {
            return Optional.empty();
        }
        String key = cacheKey(login, password, pathContext);
        Verified hit = cache.getIfPresent(key);
        if (hit == null) {
            return Optional.empty();
        }
        meters.cacheHit();
        if (System.nanoTime() - hit.at() >= refreshAfterNanos) {
            refreshAhead(key, login, password, pathContext, hit);
        }
        return Optional.of(hit.accounts());
    }

    /**
     * Steady traffic never waits for a password check: an entry used in the last fifth of its life
     * is verified again in the background, and the new verification replaces it (with a new life)
     * before it expires. At most one check per set of credentials is under way at a time (the
     * refresh is the {@link #flight} of its key, so requests that miss meanwhile share its answer);
     * a refresh that raced with an invalidation is not kept, and one that finds the password no
     * longer matching drops the entry.
     */
    private void refreshAhead(String key, String login, String password, String pathContext, Verified hit) {
        CompletableFuture<List<Account>> mine = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, mine) != null) {
            return; // a check of these credentials is under way already
        }
        Flight flight = new Flight(key, mine, true);
        try {
            refresher.execute(() -> {
                try {
                    land(flight, self.get().refresh(login, password, pathContext, key, hit), null);
                } catch (RuntimeException | Error e) {
                    // the entry expires as usual; requests that joined get the failure, as with any check
                    LOG.debugf(e, "Refresh of a cached verification failed");
                    land(flight, null, e);
                }
            });
        } catch (RejectedExecutionException full) {
            land(flight, hit.accounts(), null); // busy: this entry expires as usual, and the next miss checks it
        }
    }

    /**
     * Verifies cached credentials again (on a refresher thread, without a transaction, so that no
     * database connection is held during the hash check), unthrottled: only credentials that
     * verified before get here. Replaces the entry with the new verification unless an invalidation
     * ran meanwhile; drops it when the password no longer matches.
     */
    @ActivateRequestContext
    @Transactional(Transactional.TxType.SUPPORTS)
    List<Account> refresh(String login, String password, String pathContext, String key, Verified old) {
        long startGeneration = generation.get();
        Matched matched = verify(password, candidates(login, pathContext));
        // what the password alone opens now (an account enrolled in MFA since drops out)
        List<Account> accounts = matched.needCode().isEmpty() ? matched.byPassword() : List.of();
        meters.cacheRefresh();
        if (accounts.isEmpty()) {
            cache.asMap().remove(key, old);
        } else {
            store(key, accounts, startGeneration);
        }
        return accounts;
    }

    /** Caches a verification that began at {@code startGeneration}, unless an eviction ran since (then it may be stale). */
    private void store(String key, List<Account> accounts, long startGeneration) {
        if (generation.get() != startGeneration) {
            return;
        }
        Verified verified = new Verified(accounts, System.nanoTime());
        cache.put(key, verified);
        if (generation.get() != startGeneration) {
            // an eviction ran between the check and the put: the verification may be stale
            cache.asMap().remove(key, verified);
        }
    }

    /**
     * One password check in flight per set of credentials: the first request that misses the cache
     * leads (it is throttled and checks the password), the ones that arrive meanwhile with the same
     * login, password and path context wait for its answer instead of checking (and being charged)
     * again. Without it, every cache expiry under concurrent load started one bcrypt check per
     * request, and the client address's burst budget refused the excess with 429.
     */
    public record Flight(String key, CompletableFuture<List<Account>> answer, boolean leader) {
    }

    /** Joins the check of these credentials in flight, or leads a new one; {@code null} when the cache is off or they never verify. */
    public Flight flight(String login, String password, String pathContext) {
        if (!cacheEnabled || login == null || password == null || login.isEmpty() || login.length() > MAX_LOGIN
                || password.length() > MAX_PASSWORD || !WellFormed.Validator.isWellFormed(login)
                || !WellFormed.Validator.isWellFormed(password)) {
            return null;
        }
        String key = cacheKey(login, password, pathContext);
        CompletableFuture<List<Account>> mine = new CompletableFuture<>();
        CompletableFuture<List<Account>> running = inFlight.putIfAbsent(key, mine);
        return running != null ? new Flight(key, running, false) : new Flight(key, mine, true);
    }

    /** The leader's answer (or failure) for those who wait on it; the next miss leads a new check. */
    public void land(Flight flight, List<Account> accounts, Throwable failure) {
        if (flight != null && flight.leader()) {
            inFlight.remove(flight.key(), flight.answer());
            if (failure != null) {
                flight.answer().completeExceptionally(failure);
            } else {
                flight.answer().complete(accounts);
            }
        }
    }

    /**
     * Every account these credentials open; empty when none. Answers from the cache when it can;
     * otherwise the password check is throttled per client address and per account
     * ({@link LoginThrottle}): 429 instead of a check when a budget is spent.
     */
    public List<Account> authenticate(String login, String password, String pathContext, String clientAddress) {
        return authenticate(login, password, pathContext, clientAddress, null);
    }

    /**
     * The second factor of a sign-in: called for each account whose password matched but that needs
     * a one-time code (a user enrolled in MFA). True admits it; false refuses it, and the login counts
     * as failed (charged to the throttle like a wrong password, so codes cannot be guessed faster
     * than passwords). It may throw instead (a missing code): nothing is charged then.
     */
    @FunctionalInterface
    public interface SecondFactor {
        boolean admits(Account account);
    }

    /**
     * A sign-in: every account these credentials open, those that need a one-time code only if
     * {@code secondFactor} admits them. Throttled like {@link #authenticate(String, String, String, String)}.
     */
    public List<Account> authenticate(String login, String password, String pathContext, String clientAddress,
                                      SecondFactor secondFactor) {
        Optional<List<Account>> cached = cached(login, password, pathContext);
        if (cached.isPresent()) {
            return cached.get();
        }
        // As for Basic credentials (PasswordIdentityProvider): one check per set of credentials at a
        // time. A sign-in that arrives meanwhile waits for it, then answers from the cache the check
        // filled; it never takes the leader's answer, which a one-time code may have admitted (and
        // codes are single-use): an MFA account is never cached, so each such sign-in checks its own.
        Flight flight = flight(login, password, pathContext);
        if (flight != null && !flight.leader()) {
            awaitQuietly(flight);
            cached = cached(login, password, pathContext);
            if (cached.isPresent()) {
                return cached.get();
            }
            return authenticate(login, password, pathContext, throttle.begin(clientAddress, login, pathContext), secondFactor);
        }
        List<Account> accounts;
        try {
            accounts = authenticate(login, password, pathContext, throttle.begin(clientAddress, login, pathContext), secondFactor);
        } catch (RuntimeException | Error e) {
            land(flight, null, e);
            throw e;
        }
        land(flight, accounts, null);
        return accounts;
    }

    /** Waits (on a worker thread, within {@link #FOLLOWER_WAIT}) until the check this request joined ended, however it ended. */
    private static void awaitQuietly(Flight flight) {
        try {
            flight.answer().get(FOLLOWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the leader's failure is the leader's; this request checks on its own
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every account these credentials open by password alone; empty when none. Settles {@code attempt} either way. */
    public List<Account> authenticate(String login, String password, String pathContext, LoginThrottle.Attempt attempt) {
        return authenticate(login, password, pathContext, attempt, null);
    }

    /**
     * Every account these credentials open; empty when none. An account that needs a one-time code
     * is opened only when {@code secondFactor} (null: none) admits it. Settles {@code attempt} either way.
     */
    @ActivateRequestContext
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Account> authenticate(String login, String password, String pathContext, LoginThrottle.Attempt attempt,
                                      SecondFactor secondFactor) {
        try {
            if (login == null || password == null || login.isEmpty() || login.length() > MAX_LOGIN
                    || password.length() > MAX_PASSWORD) {
                meters.failedLogin();
                attempt.failed();
                return List.of();
            }
            // Ill-formed UTF-16 never matches: an unpaired surrogate encodes like '?', so it would
            // reach the cache entry and the hash of a different password (issue 9, item 8).
            if (!WellFormed.Validator.isWellFormed(login) || !WellFormed.Validator.isWellFormed(password)) {
                meters.failedLogin();
                attempt.failed();
                return List.of();
            }
            String key = cacheEnabled ? cacheKey(login, password, pathContext) : null;
            if (key != null) {
                Verified cached = cache.getIfPresent(key);
                if (cached != null) {
                    meters.cacheHit();
                    attempt.release();
                    return cached.accounts();
                }
            }
            meters.cacheMiss();
            long startGeneration = generation.get();
            List<Candidate> candidates = candidates(login, pathContext);
            attempt.charge(candidates.isEmpty() ? List.of(LoginThrottle.unknownLogin(login))
                    : candidates.stream().map(Candidate::key).toList());
            Matched matched = verify(password, candidates);
            List<Account> accounts = new ArrayList<>(matched.byPassword());
            boolean codeRefused = false;
            for (Account pending : matched.needCode()) {
                if (secondFactor != null && secondFactor.admits(pending)) {
                    accounts.add(pending);
                } else {
                    codeRefused = true;
                }
            }
            if (accounts.isEmpty() || codeRefused) {
                meters.failedLogin();
                attempt.failed();
                return List.of();
            } else {
                attempt.succeeded(accounts.stream().map(Account::key).toList());
                // Only what the password alone opened is cached: a later request with the same
                // credentials (a Basic one, without a code) must never find an account a code admitted.
                if (key != null && matched.needCode().isEmpty()) {
                    store(key, accounts, startGeneration);
                }
            }
            return List.copyOf(accounts);
        } finally {
            attempt.release(); // no verdict (an error, a missing code): nothing is charged
        }
    }

    void onChange(@Observes Invalidations.Invalidated change) {
        evict(change.keyPrefix());
    }

    /** Drops cached verifications of every account whose key starts with {@code prefix}. */
    private void evict(String prefix) {
        generation.incrementAndGet();
        cache.asMap().values().removeIf(v -> v.accounts().stream().anyMatch(a -> a.key().startsWith(prefix)));
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }

    /**
     * An account the login names: its key ({@link Account#key()}), its password hash, the account
     * once the password matched, and whether it also needs a one-time code ({@code mfa}).
     */
    private record Candidate(String key, String hash, Supplier<Account> account, Consumer<String> onMatch, boolean mfa) {
        Candidate(String key, String hash, Supplier<Account> account) {
            this(key, hash, account, password -> { }, false);
        }
    }

    /** The accounts whose password matched: opened by it alone, or waiting for a one-time code. */
    private record Matched(List<Account> byPassword, List<Account> needCode) {
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
    private List<Candidate> candidates(String login, String pathContext) {
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

    private Matched verify(String password, List<Candidate> candidates) {
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
