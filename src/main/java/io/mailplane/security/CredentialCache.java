package io.mailplane.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mailplane.common.Invalidations;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.security.RealmCredentials.Matched;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The warm path of {@link CredentialVerifier}: its successful verifications, under a keyed hash of
 * login, password and path context (a random key per process), re-verified ahead of expiry while in
 * use ({@link #refreshIfDue}), and the password checks under way, one per key ({@link Flight}).
 * Failures are never cached. An invalidation ({@link Invalidations}) drops every entry of an
 * account at once and moves a generation on, so a verification that raced with it is not kept
 * ({@link #store}). The checks themselves are {@link RealmCredentials}'.
 */
@ApplicationScoped
@Startup
public class CredentialCache {
    /** Refreshes waiting for a refresher thread at most; beyond, entries expire as usual. */
    private static final int REFRESH_QUEUE = 1024;
    private static final Logger LOG = Logger.getLogger(CredentialCache.class);

    /** A verification: the accounts the credentials opened, and when ({@link System#nanoTime()}). */
    record Verified(List<Account> accounts, long at) {
    }

    private final boolean enabled;
    private final Cache<String, Verified> cache;
    /** Age after which a cache hit also re-verifies its entry in the background (the last fifth of the TTL). */
    private final long refreshAfterNanos;
    /** One initialised HMAC per thread: the warm path computes a cache key on every request. */
    private final ThreadLocal<Mac> hmac;
    /** Bumped by every eviction; a verification that raced with one is not cached. */
    private final AtomicLong generation = new AtomicLong();
    /** Cache key → the password check of those credentials under way ({@link #joinOrLead}). */
    private final ConcurrentHashMap<String, CompletableFuture<List<Account>>> inFlight = new ConcurrentHashMap<>();
    /** Runs the re-verifications ahead of expiry, off the request threads; bounded, and never more than one per key. */
    private final ThreadPoolExecutor refresher;
    private final RealmCredentials realms;
    private final AuthMeters meters;
    /** This bean through its client proxy: a refresh needs the request context and transaction interceptors. */
    @Inject
    Instance<CredentialCache> self;

    public CredentialCache(MailplaneConfig config, RealmCredentials realms, AuthMeters meters) {
        this.realms = realms;
        this.meters = meters;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger named = new AtomicInteger();
        this.refresher = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(REFRESH_QUEUE), r -> {
            Thread t = new Thread(r, "credential-refresh-" + named.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.refresher.allowCoreThreadTimeOut(true);
        this.enabled = config.auth().cache().enabled();
        Duration ttl = config.auth().cache().ttl();
        this.cache = Caffeine.newBuilder().maximumSize(config.auth().cache().maxSize()).expireAfterWrite(ttl).build();
        this.refreshAfterNanos = ttl.toNanos() - ttl.toNanos() / 5;
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

    boolean enabled() {
        return enabled;
    }

    /** The entry under {@code key}, or null. */
    Verified get(String key) {
        return cache.getIfPresent(key);
    }

    /** The generation to pass to {@link #store}: read it before the check whose result is stored. */
    long generation() {
        return generation.get();
    }

    /** Caches a verification that began at {@code startGeneration}, unless an eviction ran since (then it may be stale). */
    void store(String key, List<Account> accounts, long startGeneration) {
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
     * Steady traffic never waits for a password check: an entry used in the last fifth of its life
     * is verified again in the background, and the new verification replaces it (with a new life)
     * before it expires. At most one check per set of credentials is under way at a time (the
     * refresh is the {@link Flight} of its key, so requests that miss meanwhile share its answer);
     * a refresh that raced with an invalidation is not kept, and one that finds the password no
     * longer matching drops the entry.
     */
    void refreshIfDue(String key, String login, String password, String pathContext, Verified hit) {
        if (System.nanoTime() - hit.at() < refreshAfterNanos) {
            return;
        }
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
        Matched matched = realms.verify(password, realms.candidates(login, pathContext));
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

    /**
     * One password check in flight per set of credentials: the first request that misses the cache
     * leads (it is throttled and checks the password), the ones that arrive meanwhile with the same
     * login, password and path context wait for its answer instead of checking (and being charged)
     * again. Without it, every cache expiry under concurrent load started one bcrypt check per
     * request, and the client address's burst budget refused the excess with 429.
     */
    public record Flight(String key, CompletableFuture<List<Account>> answer, boolean leader) {
    }

    /** Joins the check of the credentials under {@code key} in flight, or leads a new one. */
    Flight joinOrLead(String key) {
        CompletableFuture<List<Account>> mine = new CompletableFuture<>();
        CompletableFuture<List<Account>> running = inFlight.putIfAbsent(key, mine);
        return running != null ? new Flight(key, running, false) : new Flight(key, mine, true);
    }

    /** The leader's answer (or failure) for those who wait on it; the next miss leads a new check. */
    void land(Flight flight, List<Account> accounts, Throwable failure) {
        if (flight != null && flight.leader()) {
            inFlight.remove(flight.key(), flight.answer());
            if (failure != null) {
                flight.answer().completeExceptionally(failure);
            } else {
                flight.answer().complete(accounts);
            }
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

    /** The key of these credentials: an HMAC of login, password and path context, each length-prefixed. */
    String key(String login, String password, String pathContext) {
        Mac mac = hmac.get();
        for (String part : new String[] {login, password, pathContext == null ? "" : pathContext}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            mac.update((byte) (bytes.length >>> 8));
            mac.update((byte) bytes.length);
            mac.update(bytes);
        }
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
