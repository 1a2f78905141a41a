package io.mailplane.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Race;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests with the same credentials that miss the cache (a new client, or every cache
 * expiry under load) share one password check: one bcrypt, one charge of the throttle, and no 429
 * for right passwords however many arrive at once.
 */
@QuarkusTest
class SingleFlightTest {
    private static final String MISSES = "mailplane_auth_cache_total{result=\"miss\"}";

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private double misses() {
        String scrape = given().get(metrics.toString()).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(MISSES) + " ([0-9.Ee+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void concurrentRequestsWithTheSameUncachedCredentialsShareOnePasswordCheck() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        double before = misses();
        List<Response> answers = Race.of(24, i -> Fixtures.as(user.name(), user.password()).get("/oxaas/v1/announcements"));
        answers.forEach(r -> assertEquals(200, r.statusCode(), r.asString()));
        assertEquals(1.0, misses() - before, "one password check for 24 requests with the same credentials");
    }

    @Test
    void concurrentRequestsWithTheSameWrongPasswordAllFail() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        List<Response> answers = Race.of(12, i -> Fixtures.as(user.name(), user.password() + "x").get("/oxaas/v1/announcements"));
        answers.forEach(r -> assertEquals(401, r.statusCode(), r.asString()));
        Fixtures.as(user.name(), user.password()).get("/oxaas/v1/announcements").then().statusCode(200);
    }
}
