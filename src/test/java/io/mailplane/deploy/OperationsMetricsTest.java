package io.mailplane.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.ServerSocket;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What README's "Deploy" tells on-call to watch is on {@code /q/metrics}: the connection pool and
 * Hibernate, the verification cache's hits and misses, failed logins, mail-server verifications
 * by side, phase and outcome, and the outbox depth.
 */
@QuarkusTest
class OperationsMetricsTest {
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private String scrape() {
        return given().get(metrics.toString()).then().statusCode(200).extract().asString();
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void loginsAndVerificationsShowInTheMetricsBesidesThePoolHibernateAndTheOutbox() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        String before = scrape();
        double hits = Math.max(0, value(before, "mailplane_auth_cache_total{result=\"hit\"}"));
        double misses = Math.max(0, value(before, "mailplane_auth_cache_total{result=\"miss\"}"));
        double failed = Math.max(0, value(before, "mailplane_auth_failed_logins_total"));

        Fixtures.as(user.name(), "not-" + user.password()).get("/oxaas/v1/announcements").then().statusCode(401);
        Fixtures.as(user).get("/oxaas/v1/announcements").then().statusCode(200);
        Fixtures.as(user).get("/oxaas/v1/announcements").then().statusCode(200);

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Unreachable");
        body.put("email", user.email());
        body.put("account", user.email());
        body.put("password", "x-secret-1");
        body.put("server", "127.0.0.1");
        body.put("port", closed);
        body.put("smtp_server", "127.0.0.1");
        body.put("smtp_port", closed);
        body.put("smtp_account", user.email());
        body.put("smtp_password", "x-secret-1");
        body.put("smtp_auth", true);
        body.put("imap", true);
        body.put("incoming_encryption_type", "None");
        body.put("outcoming_encryption_type", "None");
        body.put("auth_type_in", "Login");
        body.put("auth_type_smtp", "Login");
        Fixtures.as(user).body(body).post("/api/2.0/mail/accounts").then().statusCode(400);

        String after = scrape();
        assertTrue(value(after, "mailplane_auth_cache_total{result=\"miss\"}") >= misses + 2, "the wrong and the first right login were verified");
        assertTrue(value(after, "mailplane_auth_cache_total{result=\"hit\"}") >= hits + 1, "the second right login came from the cache");
        assertTrue(value(after, "mailplane_auth_failed_logins_total") >= failed + 1, "the wrong login counted");
        assertTrue(after.contains("mailplane_mailaccounts_verification_seconds_count{outcome=\"failure\",phase=\"connect\",side=\"IMAP\"}"),
                "the refused verification is timed by side, phase and outcome");
        for (String family : new String[] {"agroal_active_count", "agroal_max_used_count", "hibernate_sessions_open_total",
                "hibernate_query_executions_total", "mailplane_outbox_depth", "http_server_requests_seconds_count"}) {
            assertTrue(after.contains(family), family + " on /q/metrics");
        }
    }
}
