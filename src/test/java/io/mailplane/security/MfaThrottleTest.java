package io.mailplane.security;

import static org.hamcrest.Matchers.equalTo;

import io.mailplane.security.MfaTest.Enrolled;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Wrong one-time codes are failed logins: with {@link LoginThrottleTest}'s tight limits (3 failures
 * per account) a fourth sign-in after three wrong codes is 429, even with the right code, so codes
 * cannot be guessed faster than passwords. Asking for the code (a sign-in without one) is not a
 * failure. Each test signs in from addresses of its own ({@code X-Forwarded-For}, 172.16/12).
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.TightLimits.class)
class MfaThrottleTest {
    private static final int LOGIN_FAILURES = 3;
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    @Inject
    Mfa mfa;

    private static String freshAddress() {
        int n = ADDRESSES.getAndIncrement();
        return "172." + (16 + (n >> 16 & 15)) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private static Response signIn(String address, UserRef user, String totp) {
        return MfaTest.signIn(Fixtures.anonymous().header("X-Forwarded-For", address), user.name(), user.password(), totp);
    }

    @Test
    void afterAsManyWrongCodesAsTheAccountMayFailTheRightCodeIsRefusedWith429() {
        Enrolled e = MfaTest.enrol(mfa, Fixtures.user(Fixtures.context()));
        String address = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            MfaTest.assertRefused(signIn(address, e.user(), MfaTest.wrongCode(e)), "ONE_TIME_CODE_INVALID");
        }
        Response refused = signIn(address, e.user(), e.code(Instant.now()));
        refused.then().statusCode(429).body("code", equalTo("TOO_MANY_REQUESTS")).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // the account's budget, not the address's: from elsewhere too
        signIn(freshAddress(), e.user(), e.code(Instant.now())).then().statusCode(429);
    }

    @Test
    void aSignInWithoutACodeIsNotAFailedLogin() {
        Enrolled e = MfaTest.enrol(mfa, Fixtures.user(Fixtures.context()));
        String address = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES + 2; i++) {
            MfaTest.assertRefused(signIn(address, e.user(), null), "ONE_TIME_CODE_REQUIRED");
        }
        MfaTest.tokenOf(signIn(address, e.user(), e.code(Instant.now())));
    }

    @Test
    void thePasswordAloneOverBasicIsAFailedLoginOfTheEnrolledUser() {
        Enrolled e = MfaTest.enrol(mfa, Fixtures.user(Fixtures.context()));
        String address = freshAddress();
        for (int i = 0; i < LOGIN_FAILURES; i++) {
            Fixtures.as(e.user()).header("X-Forwarded-For", address).get(MfaTest.A_USER_ENDPOINT).then().statusCode(401);
        }
        Fixtures.as(e.user()).header("X-Forwarded-For", address).get(MfaTest.A_USER_ENDPOINT).then().statusCode(429);
    }
}
