package io.mailplane.security;

import static io.mailplane.testing.Fixtures.secret;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bucket4j.TimeMeter;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Failed logins are limited per account and per client address: 429 with {@code Retry-After}
 * (a problem document, or the ONLYOFFICE envelope under {@code /api/2.0/mail/}) instead of a
 * password check, while logins already verified (cached) pass untouched, and an address an
 * account logged in from keeps a budget of its own for it.
 *
 * <p>Tight limits (3 failures per account, 6 per address, per minute: one failure back every 20 s
 * and 10 s) and a trusted local proxy, so each test gives itself fresh client addresses with
 * {@code X-Forwarded-For} and no test spends another's budget. The budgets refill by a clock the
 * tests can move on ({@link MovableClock}), so a refill is tested without waiting for it.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.TightLimits.class)
class LoginThrottleTest {
    private static final int LOGIN_FAILURES = 3;
    private static final int ADDRESS_FAILURES = 6;
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
    private static final String MAIL_ACCOUNTS = "/api/2.0/mail/accounts";
    /** An address gets one failure back this often: the period over its budget. */
    private static final Duration ADDRESS_REFILL = Duration.ofSeconds(60).dividedBy(ADDRESS_FAILURES);

    @Inject
    MovableClock clock;

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mailplane.auth.throttle.login-failures", String.valueOf(LOGIN_FAILURES),
                    "mailplane.auth.throttle.address-failures", String.valueOf(ADDRESS_FAILURES),
                    "mailplane.auth.throttle.period", "60S",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1,::1");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ThrottleOnMovableClock.class);
        }
    }

    /** The system clock, moved on by {@link #advance}. */
    @Singleton
    public static class MovableClock implements TimeMeter {
        private final AtomicLong offsetNanos = new AtomicLong();

        @Override
        public long currentTimeNanos() {
            return TimeMeter.SYSTEM_MILLISECONDS.currentTimeNanos() + offsetNanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }

        void advance(Duration by) {
            offsetNanos.addAndGet(by.toNanos());
        }
    }

    /** The service's own throttle, its budgets on the {@link MovableClock} (enabled in {@link TightLimits} only). */
    @Alternative
    @Singleton
    public static class ThrottleOnMovableClock extends LoginThrottle {
        @Inject
        public ThrottleOnMovableClock(MailplaneConfig config, MovableClock clock) {
            super(config.auth().throttle(), clock);
        }
    }

    @Test
    void aLoginThatKeepsFailingIsRefusedWith429EvenWithTheRightPassword() {
        ContextRef context = Fixtures.context();
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        String address = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            from(address, context.adminLogin(), "wrong-" + secret()).get(path).then().statusCode(401);
        }
        assertThrottled(from(address, context.adminLogin(), "wrong-" + secret()).get(path));
        // The password is not even checked while the account's budget is spent: from here or anywhere else.
        assertThrottled(from(address, context.adminLogin(), context.adminPassword()).get(path));
        assertThrottled(from(freshAddress(), context.adminLogin(), context.adminPassword()).get(path));
    }

    @Test
    void underTheMailApiTheRefusalIsAnOnlyofficeEnvelope() {
        UserRef user = Fixtures.user(Fixtures.context());
        String address = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            from(address, user.name(), "wrong-" + secret()).get(MAIL_ACCOUNTS).then().statusCode(401)
                    .body("status", equalTo(1)).body("statusCode", equalTo(401));
        }
        assertThrottledEnvelope(from(address, user.name(), "wrong-" + secret()).get(MAIL_ACCOUNTS));
        assertThrottledEnvelope(from(address, user.name(), user.password()).get(MAIL_ACCOUNTS));
    }

    @Test
    void signInIsThrottledWithTheSameBudgetAsBasicLogins() {
        UserRef user = Fixtures.user(Fixtures.context());
        String address = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            signIn(address, user.name(), "wrong-" + secret()).then().statusCode(401);
        }
        assertThrottled(signIn(address, user.name(), "wrong-" + secret()));
        assertThrottled(signIn(address, user.name(), user.password()));
        assertThrottledEnvelope(from(freshAddress(), user.name(), user.password()).get(MAIL_ACCOUNTS));
    }

    @Test
    void aLoginsBudgetCoversEveryLetterCaseOfIt() {
        UserRef user = Fixtures.user(Fixtures.context());
        String address = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            from(address, user.name().toUpperCase(java.util.Locale.ROOT), "wrong-" + secret()).get(MAIL_ACCOUNTS)
                    .then().statusCode(401);
        }
        assertThrottledEnvelope(from(address, user.name(), user.password()).get(MAIL_ACCOUNTS));
    }

    @Test
    void otherAccountsAndTheAdminsOfOtherContextsAreUnaffected() {
        ContextRef locked = Fixtures.context();
        ContextRef neighbour = Fixtures.context();
        UserRef colleague = Fixtures.user(locked);
        String address = freshAddress();
        // Every context admin may be called "oxadmin": the budget is the account's, not the name's.
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            from(address, locked.adminLogin(), "wrong-" + secret()).get("/oxaas/v1/admin/contexts/" + locked.id())
                    .then().statusCode(401);
        }
        assertThrottled(from(address, locked.adminLogin(), "wrong-" + secret()).get("/oxaas/v1/admin/contexts/" + locked.id()));
        from(address, neighbour.adminLogin(), neighbour.adminPassword()).get("/oxaas/v1/admin/contexts/" + neighbour.id())
                .then().statusCode(200);
        from(address, colleague.name(), colleague.password()).get(MAIL_ACCOUNTS).then().statusCode(200);
        from(address, colleague.name(), "wrong-" + secret()).get(MAIL_ACCOUNTS).then().statusCode(401);
    }

    @Test
    void strangersFailuresDoNotLockOutAnAddressTheAccountLoggedInFrom() {
        ContextRef context = Fixtures.context();
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        String qualified = context.adminLogin() + "@" + context.name();
        String home = freshAddress();
        from(home, context.adminLogin(), context.adminPassword()).get(path).then().statusCode(200);
        String stranger = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            from(stranger, context.adminLogin(), "wrong-" + secret()).get(path).then().statusCode(401);
        }
        assertThrottled(from(stranger, qualified, context.adminPassword()).get(path));
        assertThrottled(from(freshAddress(), qualified, context.adminPassword()).get(path));
        // The owner's next password check (another form of the login, so not cached) uses its address's own budget.
        from(home, qualified, context.adminPassword()).get(path).then().statusCode(200);
    }

    @Test
    void aCachedLoginIsStillAdmittedWhileItsAddressIsThrottled() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        String address = freshAddress();
        from(address, context.adminLogin(), context.adminPassword()).get(path).then().statusCode(200);
        exhaust(address, path);

        from(address, context.adminLogin(), context.adminPassword()).get(path).then().statusCode(200);
        // A login not yet verified needs a password check, which this address may not have now.
        assertThrottledEnvelope(from(address, user.name(), user.password()).get(MAIL_ACCOUNTS));
        from(freshAddress(), user.name(), user.password()).get(MAIL_ACCOUNTS).then().statusCode(200);
    }

    @Test
    void aSpentBudgetRefillsOverThePeriod() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String address = freshAddress();
        exhaust(address, "/oxaas/v1/admin/contexts/" + context.id());

        // One failure comes back every 10 s (6 per minute); until then the right password gets 429 too.
        Response answer = from(address, user.name(), user.password()).get(MAIL_ACCOUNTS);
        assertEquals(429, answer.statusCode(), answer.asString());
        clock.advance(ADDRESS_REFILL.dividedBy(2));
        answer = from(address, user.name(), user.password()).get(MAIL_ACCOUNTS);
        assertEquals(429, answer.statusCode(), "a failure came back after half of " + ADDRESS_REFILL + ": " + answer.asString());
        clock.advance(ADDRESS_REFILL.dividedBy(2));
        answer = from(address, user.name(), user.password()).get(MAIL_ACCOUNTS);
        assertEquals(200, answer.statusCode(), "still throttled " + ADDRESS_REFILL + " later: " + answer.asString());
    }

    /** Spends the address's whole budget on unknown logins (each its own, so no account budget interferes). */
    private static void exhaust(String address, String path) {
        for (int i = 0; i < ADDRESS_FAILURES; i++) {
            from(address, unique("nobody"), secret()).get(path).then().statusCode(401);
        }
        assertThrottled(from(address, unique("nobody"), secret()).get(path));
    }

    private static RequestSpecification from(String address, String login, String password) {
        return Fixtures.as(login, password).header("X-Forwarded-For", address);
    }

    private static Response signIn(String address, String login, String password) {
        return Fixtures.anonymous().header("X-Forwarded-For", address)
                .body(Map.of("userName", login, "password", password)).post("/api/2.0/authentication");
    }

    private static String freshAddress() {
        int n = ADDRESSES.getAndIncrement();
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static void assertThrottled(Response response) {
        response.then().statusCode(429)
                .contentType("application/problem+json")
                .body("status", equalTo(429))
                .body("code", equalTo("TOO_MANY_REQUESTS"))
                .header("WWW-Authenticate", emptyOrNullString());
        assertRetryAfter(response);
    }

    private static void assertThrottledEnvelope(Response response) {
        response.then().statusCode(429)
                .contentType(startsWith("application/json"))
                .body("status", equalTo(1))
                .body("statusCode", equalTo(429))
                .body("error.code", equalTo("TOO_MANY_REQUESTS"))
                .body("error.message", not(emptyOrNullString()));
        assertRetryAfter(response);
    }

    private static void assertRetryAfter(Response response) {
        String retryAfter = response.header("Retry-After");
        assertTrue(retryAfter != null && retryAfter.matches("[1-9][0-9]*"), "Retry-After: " + retryAfter);
        // At most one refill step: 60 s / 3 failures per account, 60 s / 6 per address.
        assertTrue(Long.parseLong(retryAfter) <= 20, "Retry-After: " + retryAfter);
    }
}
