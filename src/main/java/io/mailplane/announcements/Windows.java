package io.mailplane.announcements;

import io.mailplane.common.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Set;

/**
 * Announcement windows: wall-clock times in an IANA time zone, turned into instants with the zone's
 * rules (DST included) and back. A wall-clock time that a DST change skips (02:30 on the spring-forward
 * night in Europe/Berlin) means the instant that far after the change (03:30 CEST); one that occurs
 * twice (the autumn night) means the earlier of the two.
 */
final class Windows {
    /** Instants the database's {@code DATETIME} holds, in UTC and in every zone. */
    private static final int FIRST_YEAR = 1900;
    private static final int LAST_YEAR = 9998;
    private static final DateTimeFormatter INPUT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter OUTPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private Windows() {
    }

    /** The IANA zone with this id (region ids like Europe/Berlin, and UTC or Etc/GMT+1; not bare offsets), or 400. */
    static ZoneId zone(String id) {
        if (id == null || !ZONES.contains(id)) {
            throw ApiException.invalid("timezone", "must be an IANA time zone id, e.g. Europe/Berlin");
        }
        return ZoneId.of(id);
    }

    /** The instant {@code text} names in {@code zone} (or by its own offset), to the second; 400 naming {@code field}. */
    static Instant instant(String field, String text, ZoneId zone) {
        Instant instant;
        LocalDateTime local;
        try {
            TemporalAccessor parsed = INPUT.parse(text);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                instant = OffsetDateTime.from(parsed).toInstant();
                local = LocalDateTime.ofInstant(instant, zone);
            } else {
                local = LocalDateTime.from(parsed);
                instant = local.atZone(zone).toInstant();
            }
        } catch (DateTimeException e) {
            throw ApiException.invalid(field, "must be a date and time like 2030-03-31T09:00:00, optionally with an offset");
        }
        int utcYear = LocalDateTime.ofInstant(instant, ZoneOffset.UTC).getYear();
        if (local.getYear() < FIRST_YEAR || local.getYear() > LAST_YEAR || utcYear < FIRST_YEAR || utcYear > LAST_YEAR) {
            throw ApiException.invalid(field, "must be in the years " + FIRST_YEAR + " to " + LAST_YEAR);
        }
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    /** The instant as OX shows it: the wall-clock time in {@code zone} with the offset it has there then. */
    static String format(Instant instant, String zone) {
        return OUTPUT.format(instant.atZone(ZoneId.of(zone)));
    }

    /** The wall-clock time of {@code instant} in {@code zone}. */
    static LocalDateTime local(Instant instant, String zone) {
        return LocalDateTime.ofInstant(instant, ZoneId.of(zone));
    }

    /** 400 unless start is before end, naming the start when {@code blameStart} (only it was changed), else the end. */
    static void requireOrdered(Instant start, Instant end, boolean blameStart) {
        if (!start.isBefore(end)) {
            throw blameStart ? ApiException.invalid("startDatetime", "must be before endDatetime")
                    : ApiException.invalid("endDatetime", "must be after startDatetime");
        }
    }
}
