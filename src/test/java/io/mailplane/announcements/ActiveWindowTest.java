package io.mailplane.announcements;

import static io.mailplane.announcements.Announcements.ADMIN;
import static io.mailplane.announcements.Announcements.USER;
import static io.mailplane.announcements.Announcements.around;
import static io.mailplane.announcements.Announcements.body;
import static io.mailplane.announcements.Announcements.create;
import static io.mailplane.announcements.Announcements.wallClock;
import static io.mailplane.announcements.Announcements.with;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which announcements are active now: start and end are wall-clock times in the announcement's
 * zone, DST included. "Now" is the real clock: the windows are placed around it, never waited for.
 */
@QuarkusTest
class ActiveWindowTest {

    @Test
    void theWindowIsReadInTheAnnouncementsTimeZone() {
        ResellerRef reseller = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(reseller));
        Instant now = Instant.now();
        long auckland = create(reseller, around("auckland", "Pacific/Auckland", -30, 30));
        long newYork = create(reseller, around("new york", "America/New_York", -30, 30));
        long berlin = create(reseller, around("berlin", "Europe/Berlin", -30, 30));
        // Auckland's wall-clock times around now, read in New York (16 to 18 hours earlier): the window lies ahead.
        Map<String, Object> shifted = with(with(around("shifted", "America/New_York", 0, 0), "startDatetime",
                wallClock(now.minus(30, ChronoUnit.MINUTES), "Pacific/Auckland")), "endDatetime", wallClock(now.plus(30, ChronoUnit.MINUTES), "Pacific/Auckland"));
        create(reseller, shifted);
        // ... and New York's read in Auckland: the window is over.
        create(reseller, with(with(around("shifted back", "Pacific/Auckland", 0, 0), "startDatetime",
                wallClock(now.minus(30, ChronoUnit.MINUTES), "America/New_York")), "endDatetime", wallClock(now.plus(30, ChronoUnit.MINUTES), "America/New_York")));
        create(reseller, around("over", "Europe/Berlin", -120, -60));
        create(reseller, around("ahead", "Pacific/Auckland", 60, 120));
        long disabled = create(reseller, with(around("disabled", "UTC", -30, 30), "enabled", false));
        // Given as instants (with an offset) the window means the same everywhere.
        long withOffset = create(reseller, with(with(around("offset", "Pacific/Auckland", 0, 0), "startDatetime",
                now.minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString()), "endDatetime",
                now.plus(5, ChronoUnit.MINUTES).atOffset(java.time.ZoneOffset.ofHours(-7)).truncatedTo(ChronoUnit.SECONDS).toString()));

        assertEquals(List.of(auckland, newYork, berlin, withOffset).stream().sorted().toList(), seenBy(user).stream().sorted().toList());
        Fixtures.as(reseller).put(ADMIN + "/enable/{id}", disabled).then().statusCode(200);
        assertEquals(5, seenBy(user).size());
        Fixtures.as(reseller).body(Map.of("endDatetime", wallClock(now.minus(1, ChronoUnit.MINUTES), "Pacific/Auckland")))
                .put(ADMIN + "/{id}", auckland).then().statusCode(200);
        assertEquals(List.of(newYork, berlin, disabled, withOffset).stream().sorted().toList(), seenBy(user).stream().sorted().toList());
        // The user sees the times as written, with the zone's offset.
        Fixtures.as(user).get(USER).then().statusCode(200)
                .body("find { it.id == " + berlin + " }.timezone", equalTo("Europe/Berlin"));
    }

    @Test
    void daylightSavingTimeMovesTheOffsetNotTheWallClock() {
        ResellerRef reseller = Fixtures.reseller();
        // 23 hours from Saturday noon to Sunday noon across Berlin's spring-forward night, 25 across the autumn one.
        long spring = create(reseller, window("2030-03-30T12:00", "2030-03-31T12:00", "Europe/Berlin"));
        assertUtc(spring, "2030-03-30 11:00:00", "2030-03-31 10:00:00");
        Fixtures.as(reseller).get(ADMIN + "/{id}", spring).then().statusCode(200)
                .body("startDatetime", equalTo("2030-03-30T12:00:00+01:00")).body("endDatetime", equalTo("2030-03-31T12:00:00+02:00"));
        long autumn = create(reseller, window("2030-10-26T12:00", "2030-10-27T12:00", "Europe/Berlin"));
        assertUtc(autumn, "2030-10-26 10:00:00", "2030-10-27 11:00:00");

        // A wall-clock time the spring-forward skips means the time as far after the change; one the autumn repeats, the earlier one.
        long gap = create(reseller, window("2030-03-31T02:30", "2030-10-27T02:30", "Europe/Berlin"));
        assertUtc(gap, "2030-03-31 01:30:00", "2030-10-27 00:30:00");
        Fixtures.as(reseller).get(ADMIN + "/{id}", gap).then().statusCode(200)
                .body("startDatetime", equalTo("2030-03-31T03:30:00+02:00")).body("endDatetime", equalTo("2030-10-27T02:30:00+02:00"));
        long newYork = create(reseller, window("2030-03-10T02:30", "2030-11-03T01:30", "America/New_York"));
        assertUtc(newYork, "2030-03-10 07:30:00", "2030-11-03 05:30:00");
        // Auckland's DST is in the southern summer: +13:00 in January, +12:00 in July.
        long auckland = create(reseller, window("2031-01-15T09:00", "2031-07-15T09:00", "Pacific/Auckland"));
        assertUtc(auckland, "2031-01-14 20:00:00", "2031-07-14 21:00:00");
        Fixtures.as(reseller).get(ADMIN + "/{id}", auckland).then().statusCode(200)
                .body("startDatetime", equalTo("2031-01-15T09:00:00+13:00")).body("endDatetime", equalTo("2031-07-15T09:00:00+12:00"));
        // Far past and far future
        long past = create(reseller, window("1950-01-01T00:00", "1950-01-02T00:00", "UTC"));
        assertUtc(past, "1950-01-01 00:00:00", "1950-01-02 00:00:00");
        long future = create(reseller, window("9998-12-30T00:00", "9998-12-31T00:00", "Pacific/Auckland"));
        assertUtc(future, "9998-12-29 11:00:00", "9998-12-30 11:00:00");
    }

    @Test
    void aWindowIsHalfOpenStartIncludedEndExcluded() {
        ResellerRef reseller = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(reseller));
        // Ends now (to the second, truncated): the database's clock is past its end by the time the user asks.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        create(reseller, window(wallClock(now.minus(1, ChronoUnit.HOURS), "UTC"), wallClock(now, "UTC"), "UTC"));
        long starting = create(reseller, window(wallClock(now, "UTC"), wallClock(now.plus(1, ChronoUnit.HOURS), "UTC"), "UTC"));
        assertEquals(List.of(starting), seenBy(user));
    }

    private static Map<String, Object> window(String start, String end, String zone) {
        return with(with(with(body("w"), "startDatetime", start), "endDatetime", end), "timezone", zone);
    }

    private static void assertUtc(long id, String start, String end) {
        assertEquals(start + " " + end, Db.string("SELECT CONCAT(start_at, ' ', end_at) FROM announcements WHERE id = ?", id));
        assertEquals(start + " " + end, Db.string("SELECT CONCAT(start_at, ' ', end_at) FROM announcement_targets WHERE announcement_id = ?", id));
    }

    private static List<Long> seenBy(UserRef user) {
        return Fixtures.as(user).get(USER).then().statusCode(200).extract().jsonPath().getList("id", Long.class);
    }
}
