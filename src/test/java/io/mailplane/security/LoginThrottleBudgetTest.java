package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.testing.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budgets themselves, without HTTP: what is spent, what is given back, how an address's burst is paced. */
class LoginThrottleBudgetTest {
    private static final String ADDRESS = "192.0.2.1";

    @Test
    void anAddressSpendsItsBudgetAtMostABurstAtOnceAndThenOneFailurePerSecond() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        LoginThrottle throttle = new LoginThrottle(config(1000, 1000, 3).auth().throttle(), new io.github.bucket4j.TimeMeter() {
            public long currentTimeNanos() {
                return now.get();
            }

            public boolean isWallClockBased() {
                return false;
            }
        });
        for (int i = 0; i < 3; i++) {
            fail(throttle, "nobody" + i);
        }
        ApiException refused = assertThrows(ApiException.class, () -> throttle.begin(ADDRESS, "nobody3", null));
        assertEquals(ErrorCode.TOO_MANY_REQUESTS, refused.code);
        assertEquals(1L, refused.retryAfterSeconds);

        now.addAndGet(Duration.ofMillis(900).toNanos());
        assertThrows(ApiException.class, () -> throttle.begin(ADDRESS, "nobody3", null), "not before a second has passed");
        now.addAndGet(Duration.ofMillis(100).toNanos());
        fail(throttle, "nobody3"); // one failure came back after a second
        assertThrows(ApiException.class, () -> throttle.begin(ADDRESS, "nobody4", null), "and only one");
    }

    @Test
    void successesGiveTheirReservationsBackSoOnlyFailuresSpendTheBudget() {
        LoginThrottle throttle = new LoginThrottle(config(2, 2, 100));
        for (int i = 0; i < 5; i++) {
            LoginThrottle.Attempt attempt = throttle.begin(ADDRESS, "owner", null);
            attempt.charge(List.of("account:1"));
            attempt.succeeded(List.of("account:1"));
        }
        fail(throttle, "owner-typo");
        fail(throttle, "owner-typo");
        assertThrows(ApiException.class, () -> throttle.begin(ADDRESS, "owner", null));
    }

    @Test
    void aRefusalForTheAccountGivesTheAddressItsReservationBack() {
        LoginThrottle throttle = new LoginThrottle(config(1, 3, 100));
        LoginThrottle.Attempt first = throttle.begin(ADDRESS, "victim", null);
        first.charge(List.of("account:7"));
        first.failed();
        // The account's budget is spent: these are refused, and cost the address nothing.
        for (int i = 0; i < 5; i++) {
            assertThrows(ApiException.class, () -> throttle.begin("198.51.100.9", "victim-variant", null).charge(List.of("account:7")));
        }
        fail(throttle, "a");
        fail(throttle, "b");
        assertThrows(ApiException.class, () -> throttle.begin(ADDRESS, "d", null));
    }

    private static void fail(LoginThrottle throttle, String login) {
        LoginThrottle.Attempt attempt = throttle.begin(ADDRESS, login, null);
        attempt.charge(List.of(LoginThrottle.unknownLogin(login)));
        attempt.failed();
    }

    /** The real mapping (defaults included), built without the application: no bean of the test's own. */
    private static MailplaneConfig config(long loginFailures, long addressFailures, long addressBurst) {
        return Settings.of(Map.of(
                "mailplane.auth.throttle.login-failures", String.valueOf(loginFailures),
                "mailplane.auth.throttle.address-failures", String.valueOf(addressFailures),
                "mailplane.auth.throttle.address-burst", String.valueOf(addressBurst)));
    }
}
