package io.mailplane.announcements;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Announcement bodies and fixtures for the tests. */
final class Announcements {
    static final String ADMIN = "/oxaas/v1/admin/announcements";
    static final String USER = "/oxaas/v1/announcements";

    private Announcements() {
    }

    /** A valid body: a window far in the future, in Europe/Berlin, targeting the owner. */
    static Map<String, Object> body(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("msgJsonObject", Map.of("text", "Hello " + name));
        body.put("startDatetime", "2090-06-01T08:00:00");
        body.put("endDatetime", "2090-06-02T08:00:00");
        body.put("timezone", "Europe/Berlin");
        body.put("discardable", true);
        body.put("enabled", true);
        return body;
    }

    /** A body whose window, as wall-clock times in {@code zone}, runs from now + {@code fromMinutes} to now + {@code toMinutes}. */
    static Map<String, Object> around(String name, String zone, long fromMinutes, long toMinutes) {
        Map<String, Object> body = body(name);
        body.put("timezone", zone);
        body.put("startDatetime", wallClock(Instant.now().plus(fromMinutes, ChronoUnit.MINUTES), zone));
        body.put("endDatetime", wallClock(Instant.now().plus(toMinutes, ChronoUnit.MINUTES), zone));
        return body;
    }

    /** Active now for the owner's users: from an hour ago to in an hour. */
    static Map<String, Object> activeNow(String name, String... brands) {
        Map<String, Object> body = around(name, "Europe/Berlin", -60, 60);
        if (brands.length > 0) {
            body.put("brands", List.of(brands));
        }
        return body;
    }

    static String wallClock(Instant instant, String zone) {
        return LocalDateTime.ofInstant(instant, ZoneId.of(zone)).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    /** Creates the announcement as {@code reseller}; its id. */
    static long create(ResellerRef reseller, Map<String, Object> body) {
        return Fixtures.as(reseller).body(body).post(ADMIN).then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
