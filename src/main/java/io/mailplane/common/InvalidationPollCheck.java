package io.mailplane.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Part of {@code /q/health/ready}: a replica whose invalidation poll ({@link Invalidations}) has not
 * read the table for {@code mailplane.health.invalidation-stale-after} is not ready, since its caches
 * may accept a password another replica changed. The load balancer then stops sending it requests
 * until the poll succeeds again.
 */
@Readiness
@ApplicationScoped
public class InvalidationPollCheck implements HealthCheck {
    private final Invalidations invalidations;
    private final Duration staleAfter;

    public InvalidationPollCheck(Invalidations invalidations, MailplaneConfig config) {
        this.invalidations = invalidations;
        this.staleAfter = config.health().invalidationStaleAfter();
    }

    @Override
    public HealthCheckResponse call() {
        Duration since = invalidations.sinceLastPoll();
        return HealthCheckResponse.named("Cross-replica invalidation poll")
                .status(since.compareTo(staleAfter) <= 0)
                .withData("lastPollMillisAgo", since.toMillis())
                .withData("staleAfterMillis", staleAfter.toMillis())
                .build();
    }
}
