package io.mailplane.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Authentication's Prometheus meters: {@code mailplane_auth_cache_total{result="hit|miss"}} (one per
 * password login: answered from the verification cache, or verified against the stored hash; the hit
 * ratio is {@code rate(..{result="hit"}) / rate(..)}), and {@code mailplane_auth_failed_logins_total}
 * (wrong or unusable credentials; refusals of the failed-login throttle, 429, are in the HTTP metrics),
 * and {@code mailplane_auth_cache_refreshes_total} (cached verifications checked again in the background
 * in the last fifth of their life, so that steady traffic never waits for a password check).
 */
@ApplicationScoped
public class AuthMeters {
    private final Counter hits;
    private final Counter misses;
    private final Counter failed;
    private final Counter refreshes;

    public AuthMeters(MeterRegistry registry) {
        hits = Counter.builder("mailplane.auth.cache").tag("result", "hit")
                .description("Password logins, by whether the verification cache answered").register(registry);
        misses = Counter.builder("mailplane.auth.cache").tag("result", "miss")
                .description("Password logins, by whether the verification cache answered").register(registry);
        failed = Counter.builder("mailplane.auth.failed.logins")
                .description("Password logins refused for wrong or unusable credentials").register(registry);
        refreshes = Counter.builder("mailplane.auth.cache.refreshes")
                .description("Cached verifications checked again in the background before they expired").register(registry);
    }

    void cacheRefresh() {
        refreshes.increment();
    }

    void cacheHit() {
        hits.increment();
    }

    void cacheMiss() {
        misses.increment();
    }

    void failedLogin() {
        failed.increment();
    }
}
