package io.mailplane.announcements;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An instant in a {@code DATETIME} column, written and read as UTC text ({@code 2030-01-01 10:00:00}),
 * so that neither the JVM's nor the connection's time zone shifts it and SQL can compare it with
 * {@code UTC_TIMESTAMP()}. ({@code TIMESTAMP} columns end in 2038; announcements may be planned later.)
 */
@Converter
public class UtcColumn implements AttributeConverter<Instant, String> {
    static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    @Override
    public String convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : SQL.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    public Instant convertToEntityAttribute(String text) {
        if (text == null) {
            return null;
        }
        String plain = text.length() > 19 ? text.substring(0, 19) : text;
        return LocalDateTime.parse(plain.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
}
