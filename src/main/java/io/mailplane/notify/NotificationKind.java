package io.mailplane.notify;

import io.mailplane.common.ApiException;
import java.util.Arrays;
import java.util.Locale;

/** The notification mails of OX Cloud-Plugins; {@link #wire} is the name in paths and in the outbox. */
public enum NotificationKind {
    WELCOME("welcome"),
    OVERQUOTA("overquota"),
    SPAMDISABLED("spamdisabled");

    public final String wire;

    NotificationKind(String wire) {
        this.wire = wire;
    }

    /** The kind a path names, or 400 naming {@code field}. */
    public static NotificationKind parse(String field, String raw) {
        String name = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.wire.equals(name)).findFirst()
                .orElseThrow(() -> ApiException.invalid(field, "must be one of welcome, overquota, spamdisabled"));
    }
}
