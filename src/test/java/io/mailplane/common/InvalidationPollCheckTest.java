package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Settings;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * A replica whose invalidation poll has not read the table for longer than
 * {@code mailplane.health.invalidation-stale-after} is not ready (its caches may accept a password
 * another replica changed); within that time it is.
 */
class InvalidationPollCheckTest {
    private static HealthCheckResponse checkWithStaleAfter(String staleAfter) {
        // a replica that started and has not polled since
        Invalidations neverPolled = new Invalidations(null, null, null, null);
        return new InvalidationPollCheck(neverPolled, Settings.of(Map.of("mailplane.health.invalidation-stale-after", staleAfter))).call();
    }

    @Test
    void aReplicaWhosePollIsOlderThanTheBoundIsNotReady() {
        assertEquals(HealthCheckResponse.Status.DOWN, checkWithStaleAfter("0S").getStatus());
    }

    @Test
    void aReplicaWhosePollIsWithinTheBoundIsReady() {
        HealthCheckResponse response = checkWithStaleAfter("1H");
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals("Cross-replica invalidation poll", response.getName());
    }
}
