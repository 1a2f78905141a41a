package io.mailplane.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cached verifications are checked again in the background in the last fifth of their life, so
 * credentials in steady use never expire (no request waits for a password check, no stampede at
 * expiry), and a password changed underneath without an event stops working once the refresh ran.
 */
@QuarkusTest
@TestProfile(RefreshAheadTest.ShortCache.class)
class RefreshAheadTest {
    /**
     * Short enough for a test, long enough for a loaded machine to refresh within its last fifth
     * (1.2 s, in which a request every {@link #STEADY} starts the refresh and the test bcrypt cost
     * of 4 makes it take milliseconds).
     */
    private static final Duration TTL = Duration.ofSeconds(6);
    /** The pace of steady traffic. */
    private static final Duration STEADY = Duration.ofMillis(100);

    public static class ShortCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailplane.auth.cache.ttl", TTL.toSeconds() + "S");
        }
    }

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;
    @Inject
    Passwords passwords;

    private double metric(String name) {
        String scrape = given().get(metrics.toString()).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.Ee+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private double misses() {
        return metric("mailplane_auth_cache_total{result=\"miss\"}");
    }

    @Test
    void credentialsUsedSteadilyStayCachedPastTheirTimeToLive() {
        ContextRef context = Fixtures.context();
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        double before = misses();
        long first = System.nanoTime();
        Fixtures.as(context).get(path).then().statusCode(200);
        assertEquals(1.0, misses() - before, "the first request checks the password");
        // Steady traffic, a request every 100 ms, for one and a half lifetimes of the first verification.
        await().atMost(TTL.multipliedBy(4)).pollInterval(STEADY).until(() -> {
            Fixtures.as(context).get(path).then().statusCode(200);
            return System.nanoTime() - first > TTL.toNanos() * 3 / 2;
        });
        assertEquals(1.0, misses() - before, "no request after the first waited for a password check");
    }

    @Test
    void aPasswordChangedUnderneathIsRefusedOnceTheRefreshRanBeforeTheEntryExpires() {
        ContextRef context = Fixtures.context();
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        long first = System.nanoTime();
        Fixtures.as(context).get(path).then().statusCode(200);
        String newPassword = Fixtures.secret();
        // Another writer changes the hash without telling the caches (no credential event).
        Db.update("UPDATE contexts SET admin_password_hash = ? WHERE id = ?", passwords.hash(newPassword), context.id());
        // The cache admits the old password until a use late in the entry's life checks it again.
        await().atMost(TTL.multipliedBy(3)).pollInterval(STEADY)
                .until(() -> Fixtures.as(context).get(path).statusCode() == 401);
        long refusedAfter = System.nanoTime() - first;
        assertTrue(refusedAfter < TTL.toNanos(), "refused only after " + Duration.ofNanos(refusedAfter).toMillis()
                + " ms: by the entry's expiry, not by a refresh");
        Fixtures.as(context.adminLogin(), newPassword).get(path).then().statusCode(200);
    }
}
