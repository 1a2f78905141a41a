package io.mailplane.security;

import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.WellFormed;
import io.mailplane.security.CredentialCache.Flight;
import io.mailplane.security.CredentialCache.Verified;
import io.mailplane.security.RealmCredentials.Candidate;
import io.mailplane.security.RealmCredentials.Matched;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks login + password against every realm: answers from the cache of successful
 * verifications ({@link CredentialCache}) when it can, so the warm path does no slow hashing, and
 * re-verifies entries in use ahead of their expiry; otherwise one password check per set of
 * credentials at a time ({@link #flight}), throttled by {@link LoginThrottle}, asks the realms
 * ({@link RealmCredentials}) which accounts the login names and which of them the password opens.
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

    private final CredentialCache cache;
    private final RealmCredentials realms;
    private final LoginThrottle throttle;
    private final AuthMeters meters;

    public CredentialVerifier(CredentialCache cache, RealmCredentials realms, LoginThrottle throttle, AuthMeters meters) {
        this.cache = cache;
        this.realms = realms;
        this.throttle = throttle;
        this.meters = meters;
    }

    /** The accounts a cached verification of these credentials opened; never touches the database. */
    public Optional<List<Account>> cached(String login, String password, String pathContext) {
        if (!cache.enabled() || login == null || password == null) {
            return Optional.empty();
        }
        // Ill-formed UTF-16 encodes an unpaired surrogate like '?': its cache key would be that of
        // another password, so such credentials never answer from the cache (nor verify at all).
        if (!WellFormed.Validator.isWellFormed(login) || !WellFormed.Validator.isWellFormed(password)) {
            return Optional.empty();
        }
        String key = cache.key(login, password, pathContext);
        Verified hit = cache.get(key);
        if (hit == null) {
            return Optional.empty();
        }
        meters.cacheHit();
        cache.refreshIfDue(key, login, password, pathContext, hit);
        return Optional.of(hit.accounts());
    }

    /** Joins the check of these credentials in flight, or leads a new one; {@code null} when the cache is off or they never verify. */
    public Flight flight(String login, String password, String pathContext) {
        if (!cache.enabled() || login == null || password == null || login.isEmpty() || login.length() > MAX_LOGIN
                || password.length() > MAX_PASSWORD || !WellFormed.Validator.isWellFormed(login)
                || !WellFormed.Validator.isWellFormed(password)) {
            return null;
        }
        return cache.joinOrLead(cache.key(login, password, pathContext));
    }

    /** The leader's answer (or failure) for those who wait on it; the next miss leads a new check. */
    public void land(Flight flight, List<Account> accounts, Throwable failure) {
        cache.land(flight, accounts, failure);
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
            String key = cache.enabled() ? cache.key(login, password, pathContext) : null;
            if (key != null) {
                Verified cached = cache.get(key);
                if (cached != null) {
                    meters.cacheHit();
                    attempt.release();
                    return cached.accounts();
                }
            }
            meters.cacheMiss();
            long startGeneration = cache.generation();
            List<Candidate> candidates = realms.candidates(login, pathContext);
            attempt.charge(candidates.isEmpty() ? List.of(LoginThrottle.unknownLogin(login))
                    : candidates.stream().map(Candidate::key).toList());
            Matched matched = realms.verify(password, candidates);
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
                    cache.store(key, accounts, startGeneration);
                }
            }
            return List.copyOf(accounts);
        } finally {
            attempt.release(); // no verdict (an error, a missing code): nothing is charged
        }
    }
}
