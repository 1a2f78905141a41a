package io.mailplane.announcements;

import static io.mailplane.announcements.Announcements.USER;
import static io.mailplane.announcements.Announcements.activeNow;
import static io.mailplane.announcements.Announcements.create;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.InvalidationSignals;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What users see comes from a cache of the lineage's announcements that have not ended, filtered
 * by the database's clock on every request: windows open and close on time without any change
 * event; a change made here is seen at once; one made by another replica as soon as this replica's
 * poll applied its event ({@link InvalidationSignals}).
 */
@QuarkusTest
class AnnouncementCacheTest {
    /** One poll period is a second; five are plenty on a loaded machine. */
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Inject
    InvalidationSignals invalidations;

    private static List<Long> seenBy(UserRef user) {
        return Fixtures.as(user).get(USER).then().statusCode(200).extract().jsonPath().getList("id", Long.class);
    }

    /** Asks until the user sees {@code expected}; fails after {@code limit}. */
    private static void eventuallySeen(UserRef user, List<Long> expected, Duration limit) {
        await("the user sees " + expected).atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> seenBy(user), equalTo(expected));
    }

    @Test
    void anAnnouncementAppearsWhenItsWindowOpensAndGoesWhenItCloses() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(brand));
        long always = create(brand, activeNow("always"));
        Map<String, Object> brief = Announcements.body("brief");
        brief.put("timezone", "UTC");
        brief.put("startDatetime", Announcements.wallClock(Instant.now().plusSeconds(2), "UTC"));
        brief.put("endDatetime", Announcements.wallClock(Instant.now().plusSeconds(5), "UTC"));
        long soon = create(brand, brief);
        assertEquals(List.of(always), seenBy(user));
        // no change event in between: the cached list is filtered by the clock of every request
        eventuallySeen(user, List.of(always, soon), Duration.ofSeconds(15));
        eventuallySeen(user, List.of(always), Duration.ofSeconds(15));
    }

    @Test
    void aChangeMadeHereIsSeenAtOnce() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(brand));
        long first = create(brand, activeNow("first"));
        assertEquals(List.of(first), seenBy(user));
        long second = create(brand, activeNow("second"));
        assertEquals(List.of(first, second), seenBy(user));
        Fixtures.as(brand).put(Announcements.ADMIN + "/disable/{id}", first).then().statusCode(200);
        assertEquals(List.of(second), seenBy(user));
        Fixtures.as(brand).delete(Announcements.ADMIN + "/{id}", second).then().statusCode(204);
        assertEquals(List.of(), seenBy(user));
    }

    @Test
    void anAnnouncementDisabledByAnotherReplicaGoesOnceItsChangeEventIsApplied() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(brand));
        long id = create(brand, activeNow("elsewhere"));
        assertEquals(List.of(id), seenBy(user));
        // What another replica does when it disables the announcement: the rows, then the event.
        Db.update("UPDATE announcements SET enabled = FALSE, version = version + 1 WHERE id = ?", id);
        Db.update("UPDATE announcement_targets SET enabled = FALSE WHERE announcement_id = ?", id);
        InvalidationSignals.Signal applied = invalidations.next(ActiveAnnouncements.KEY);
        Db.update("INSERT INTO credential_events (account_key) VALUES (?)", ActiveAnnouncements.KEY);
        applied.await(WITHIN);
        assertEquals(List.of(), seenBy(user));
    }
}
