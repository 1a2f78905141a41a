package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lower bounds of numeric settings, which stop the service at start-up when broken. */
class StartupChecksTest {

    @Test
    void theDefaultsAreWithinTheirBounds() {
        assertEquals(List.of(), StartupChecks.belowMinimum(Settings.of(Map.of())));
    }

    @Test
    void everySettingBelowItsMinimumIsNamedWithItsBound() {
        List<String> low = StartupChecks.belowMinimum(Settings.of(Map.of(
                "mailplane.auth.throttle.login-failures", "0",
                "mailplane.auth.throttle.address-failures", "0",
                "mailplane.auth.throttle.address-burst", "-1",
                "mailplane.auth.throttle.max-entries", "0",
                "mailplane.outbox.batch-size", "0",
                "mailplane.outbox.max-attempts", "0",
                "mailplane.imap.max-concurrent", "0",
                "mailplane.mailserver.argon2-memory-kib", "7",
                "mailplane.mailserver.argon2-passes", "0")));
        assertEquals(List.of(
                "mailplane.auth.throttle.login-failures must be at least 1 (is 0)",
                "mailplane.auth.throttle.address-failures must be at least 1 (is 0)",
                "mailplane.auth.throttle.address-burst must be at least 1 (is -1)",
                "mailplane.auth.throttle.max-entries must be at least 1 (is 0)",
                "mailplane.outbox.batch-size must be at least 1 (is 0)",
                "mailplane.outbox.max-attempts must be at least 1 (is 0)",
                "mailplane.imap.max-concurrent must be at least 1 (is 0)",
                "mailplane.mailserver.argon2-memory-kib must be at least 8 (is 7)",
                "mailplane.mailserver.argon2-passes must be at least 1 (is 0)"), low);
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        assertEquals(List.of(), StartupChecks.belowMinimum(Settings.of(Map.of(
                "mailplane.auth.throttle.login-failures", "1",
                "mailplane.mailserver.argon2-memory-kib", "8"))));
    }
}
