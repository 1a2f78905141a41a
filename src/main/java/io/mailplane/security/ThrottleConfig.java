package io.mailplane.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Limits on failed logins ({@code mailplane.auth.throttle.*}): each account and each client
 * address may fail this many times per {@link #period()}; the budget refills evenly over the
 * period (one failure every {@code period / failures}).
 */
@ConfigMapping(prefix = "mailplane.auth.throttle")
public interface ThrottleConfig {
    /** Whether failed logins are limited at all. */
    @WithDefault("true")
    boolean enabled();

    /** Failures allowed per account (or per unknown login name) in one period. */
    @WithDefault("10")
    @Min(1)
    long loginFailures();

    /** Failures allowed per client address (IPv6: per /64) in one period; many users may share a NAT. */
    @WithDefault("100")
    @Min(1)
    long addressFailures();

    /** Failures an address may spend at once; beyond them, at most one per second (bounds its share of the processors). */
    @WithDefault("10")
    @Min(1)
    long addressBurst();

    /** The period over which the budgets refill. */
    @WithDefault("10M")
    Duration period();

    /** At most this many accounts and this many addresses are tracked (least useful entries go first). */
    @WithDefault("100000")
    @Min(1)
    long maxEntries();
}
