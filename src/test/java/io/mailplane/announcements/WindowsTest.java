package io.mailplane.announcements;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailplane.common.ApiException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WindowsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aWallClockTimeMeansTheInstantItIsInTheZone() {
        assertEquals(Instant.parse("2030-01-15T08:00:00Z"), Windows.instant("f", "2030-01-15T09:00", BERLIN));
        assertEquals(Instant.parse("2030-07-15T07:00:00Z"), Windows.instant("f", "2030-07-15T09:00:00", BERLIN));
        assertEquals(Instant.parse("2030-07-15T07:00:00Z"), Windows.instant("f", "2030-07-15T09:00:00.999", BERLIN));
        assertEquals("2030-07-15T09:00:00+02:00", Windows.format(Instant.parse("2030-07-15T07:00:00Z"), "Europe/Berlin"));
        assertEquals("2030-07-15T07:00:00Z", Windows.format(Instant.parse("2030-07-15T07:00:00Z"), "UTC"));
    }

    @Test
    void aTimeWithAnOffsetIsThatInstantWhateverTheZone() {
        assertEquals(Instant.parse("2030-07-15T07:00:00Z"), Windows.instant("f", "2030-07-15T07:00:00Z", BERLIN));
        assertEquals(Instant.parse("2030-07-15T07:00:00Z"), Windows.instant("f", "2030-07-15T00:00:00-07:00", BERLIN));
    }

    @Test
    void skippedWallClockTimesMoveForwardAndRepeatedOnesTakeTheEarlierOffset() {
        assertEquals("2030-03-31T03:30:00+02:00", Windows.format(Windows.instant("f", "2030-03-31T02:30", BERLIN), "Europe/Berlin"));
        assertEquals(Instant.parse("2030-10-27T00:30:00Z"), Windows.instant("f", "2030-10-27T02:30", BERLIN));
        ZoneId auckland = ZoneId.of("Pacific/Auckland");
        // Auckland springs forward at 02:00 on the last Sunday of September.
        assertEquals("2030-09-29T03:30:00+13:00", Windows.format(Windows.instant("f", "2030-09-29T02:30", auckland), "Pacific/Auckland"));
    }

    @Test
    void onlyIanaZoneIdsAreZones() {
        assertEquals(ZoneId.of("America/New_York"), Windows.zone("America/New_York"));
        assertEquals(ZoneId.of("Etc/GMT+5"), Windows.zone("Etc/GMT+5"));
        for (String bad : new String[] {"+01:00", "GMT+1", "CET ", "europe/berlin", "Mars/Olympus", "", null}) {
            assertThrows(ApiException.class, () -> Windows.zone(bad), String.valueOf(bad));
        }
    }

    @Test
    void timesOutsideTheStorableYearsOrNotTimesAtAllAreRefused() {
        for (String bad : new String[] {"1899-12-31T23:59", "9999-01-01T00:00", "9998-12-31T23:00:00-18:00", "2030-02-29T10:00",
                "2030-01-01", "10:00", "2030-01-01 10:00", "2030-01-01T10:00+25:00"}) {
            assertThrows(ApiException.class, () -> Windows.instant("startDatetime", bad, BERLIN), bad);
        }
    }

    @Test
    void theStartMustComeBeforeTheEnd() {
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        assertEquals("endDatetime", assertThrows(ApiException.class, () -> Windows.requireOrdered(t, t, false)).errors.get(0).field());
        assertEquals("startDatetime", assertThrows(ApiException.class, () -> Windows.requireOrdered(t.plusSeconds(1), t, true)).errors.get(0).field());
        Windows.requireOrdered(t, t.plusSeconds(1), false);
    }
}
