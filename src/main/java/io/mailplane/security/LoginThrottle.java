package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.ibm.icu.text.Collator;
import com.ibm.icu.util.ULocale;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Limits failed logins per account and per client address, so that guessing passwords costs
 * the attacker time and the service no more than a bounded number of slow hash checks.
 *
 * <p>Only logins that need a password check come here; a login answered from the credential
 * cache (already verified) never does. {@link #begin} reserves one failure of the address's
 * budget before anything else; {@link Attempt#charge} reserves one failure of each account the
 * login names, after the accounts are looked up and before any hash is checked (a name whose
 * accounts are known to be out of budget is refused in {@link #begin} already, without looking
 * them up again). A success gives every reservation back, so only failures consume budget. An
 * exhausted budget refuses with {@link ErrorCode#TOO_MANY_REQUESTS} and {@code Retry-After},
 * even for the right password, until it refills.
 *
 * <p>So that strangers cannot lock an account's owner out, an address from which an account
 * logged in successfully (within {@link #KNOWN_CLIENT_TTL}) has a budget of its own for that
 * account: failures from elsewhere do not spend it, and its failures do not spend the others'.
 *
 * <p>An address spends its budget at most {@code address-burst} failures at once, then one per
 * second, so that no single client keeps the processors busy with hashing even while it has budget.
 *
 * <p>Budgets are token buckets (Bucket4j) that refill evenly over the period, kept in
 * size-bounded maps (Caffeine); an idle bucket is full again after one period and is dropped then.
 */
@ApplicationScoped
public class LoginThrottle {
    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);
    /** How long a successful login makes its address a known client of the account. */
    static final Duration KNOWN_CLIENT_TTL = Duration.ofDays(30);
    /** Compares login names case- and accent-insensitively, as the database's collation does. */
    private static final Collator LOGIN_COLLATOR = primaryCollator();

    private final MailplaneConfig.Auth.Throttle config;
    private final Cache<String, Bucket> accounts;
    private final Cache<String, Bucket> addresses;
    /** "account key → address" of successful logins. */
    private final Cache<String, Boolean> knownClients;
    /** Login name (and path context) → the budget keys it was charged to last time. */
    private final Cache<String, List<String>> names;
    private final io.github.bucket4j.TimeMeter clock;

    @jakarta.inject.Inject
    public LoginThrottle(MailplaneConfig config) {
        this(config.auth().throttle(), io.github.bucket4j.TimeMeter.SYSTEM_MILLISECONDS);
    }

    /** With the clock the budgets refill by (tests move it on instead of waiting). */
    LoginThrottle(MailplaneConfig.Auth.Throttle config, io.github.bucket4j.TimeMeter clock) {
        this.clock = clock;
        this.config = config;
        this.accounts = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterAccess(config.period()).build();
        this.addresses = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterAccess(config.period()).build();
        this.knownClients = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(KNOWN_CLIENT_TTL).build();
        this.names = Caffeine.newBuilder().maximumSize(config.maxEntries()).expireAfterWrite(config.period()).build();
    }

    /**
     * Starts a login that needs a password check, from {@code clientAddress} (see
     * {@link #addressOf}): refuses with 429 at once when a login of this name was last charged to
     * budgets that are spent (no database lookup), or when the address's budget is spent;
     * otherwise reserves one failure of the address's budget.
     */
    public Attempt begin(String clientAddress, String login, String pathContext) {
        Attempt attempt = new Attempt(clientAddress == null ? "unknown" : clientAddress,
                login + '\u0000' + (pathContext == null ? "" : pathContext));
        if (config.enabled()) {
            List<String> lastCharged = names.getIfPresent(attempt.name);
            if (lastCharged != null) {
                attempt.refuseIfSpent(lastCharged);
            }
            attempt.reserve(addresses, List.of(attempt.address), this::addressBudget);
        }
        return attempt;
    }

    /**
     * The throttling key of a connection's client: its address, or for IPv6 its /64 prefix (one
     * subscriber's allocation). With {@code quarkus.http.proxy.proxy-address-forwarding} and
     * trusted proxies configured, this is the address the trusted proxy forwarded.
     */
    public static String addressOf(SocketAddress remote) {
        if (remote == null) {
            return "unknown";
        }
        return addressKey(remote.hostAddress() != null ? remote.hostAddress() : remote.host());
    }

    static String addressKey(String host) {
        if (host == null || host.isEmpty()) {
            return "unknown";
        }
        if (host.indexOf(':') < 0) {
            return host;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            // A name with ':' can only be an IPv6 literal: this parses it, it never asks DNS.
            InetAddress address = InetAddress.getByName(literal);
            if (address instanceof Inet6Address) {
                return HexFormat.of().formatHex(address.getAddress(), 0, 8) + "::/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }

    /** The budget key of a login name that opens no account (so unknown names fail like known ones). */
    static String unknownLogin(String login) {
        String trimmed = login.replaceFirst(" +$", "");
        return "login:" + Base64.getEncoder().withoutPadding()
                .encodeToString(LOGIN_COLLATOR.getCollationKey(trimmed).toByteArray());
    }

    private Bucket accountBudget() {
        return Bucket.builder().withCustomTimePrecision(clock)
                .addLimit(limit -> limit.capacity(config.loginFailures()).refillGreedy(config.loginFailures(), config.period()))
                .build();
    }

    /** The period's budget, spent at most {@code address-burst} at once and then one per second. */
    private Bucket addressBudget() {
        return Bucket.builder().withCustomTimePrecision(clock)
                .addLimit(limit -> limit.capacity(config.addressFailures()).refillGreedy(config.addressFailures(), config.period()))
                .addLimit(limit -> limit.capacity(config.addressBurst()).refillGreedy(1, Duration.ofSeconds(1)))
                .build();
    }

    private static Collator primaryCollator() {
        Collator collator = Collator.getInstance(ULocale.ROOT);
        collator.setStrength(Collator.PRIMARY);
        return collator.freeze();
    }

    /** One login that needs a password check; settled once: succeeded, failed or released. */
    public final class Attempt {
        private final String address;
        private final String name;
        private final List<Bucket> reserved = new ArrayList<>(3);
        private final List<String> spent = new ArrayList<>(1);
        private boolean settled;

        private Attempt(String address, String name) {
            this.address = address;
            this.name = name;
        }

        /**
         * Reserves one failure of each account's budget (keys from {@link Account#key()}, or
         * {@link #unknownLogin}); refuses with 429, giving every reservation back, when one is spent.
         */
        void charge(Collection<String> accountKeys) {
            if (config.enabled()) {
                List<String> budgets = accountKeys.stream().map(this::budgetOf).toList();
                names.put(name, List.copyOf(accountKeys));
                reserve(accounts, budgets, LoginThrottle.this::accountBudget);
            }
        }

        /** Right credentials for these accounts: every reservation is given back, and the address is a known client. */
        void succeeded(Collection<String> accountKeys) {
            if (!settled && config.enabled()) {
                accountKeys.forEach(key -> knownClients.put(knownClient(key), Boolean.TRUE));
            }
            release();
        }

        /** Wrong credentials: the reserved failures stay spent. */
        void failed() {
            if (!settled) {
                settled = true;
                if (!spent.isEmpty()) {
                    LOG.infof("Failed-login budget of %s spent; further logins refused until it refills", String.join(", ", spent));
                }
            }
        }

        /** No verdict (already verified, or an error): every reservation is given back. */
        void release() {
            if (!settled) {
                settled = true;
                reserved.forEach(bucket -> bucket.addTokens(1));
            }
        }

        private String budgetOf(String accountKey) {
            String known = knownClient(accountKey);
            return knownClients.getIfPresent(known) != null ? known : accountKey;
        }

        private String knownClient(String accountKey) {
            return accountKey + " from " + address;
        }

        /** Refuses (429) when the budget of one of these accounts is spent; reserves nothing. */
        private void refuseIfSpent(List<String> accountKeys) {
            long waitNanos = 0;
            for (String key : accountKeys) {
                Bucket bucket = accounts.getIfPresent(budgetOf(key));
                if (bucket != null) {
                    EstimationProbe probe = bucket.estimateAbilityToConsume(1);
                    if (!probe.canBeConsumed()) {
                        waitNanos = Math.max(waitNanos, Math.max(1, probe.getNanosToWaitForRefill()));
                    }
                }
            }
            if (waitNanos > 0) {
                throw refusal(waitNanos);
            }
        }

        private void reserve(Cache<String, Bucket> budgets, Collection<String> keys, Supplier<Bucket> budget) {
            long waitNanos = 0;
            for (String key : keys) {
                Bucket bucket = budgets.get(key, k -> budget.get());
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                if (probe.isConsumed()) {
                    reserved.add(bucket);
                    if (probe.getRemainingTokens() == 0) {
                        spent.add(budgets == addresses ? "address " + key
                                : key.startsWith("login:") ? "an unknown login" : "account " + key.replace(": from", " from").replaceFirst(":$", ""));
                    }
                } else {
                    waitNanos = Math.max(waitNanos, Math.max(1, probe.getNanosToWaitForRefill()));
                }
            }
            if (waitNanos > 0) {
                release();
                throw refusal(waitNanos);
            }
        }
    }

    private static ApiException refusal(long waitNanos) {
        long second = TimeUnit.SECONDS.toNanos(1);
        return ApiException.retryLater(ErrorCode.TOO_MANY_REQUESTS, "Too many failed logins; retry later.",
                (waitNanos + second - 1) / second);
    }
}
