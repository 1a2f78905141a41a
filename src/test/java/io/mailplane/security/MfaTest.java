package io.mailplane.security;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Race;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;

/**
 * TOTP multi-factor authentication (issue 15): a user enrolled through {@link Mfa} signs in with
 * {@code POST /api/2.0/authentication} only with its password and a current one-time code not
 * used before, and its password alone (HTTP Basic) opens nothing. Codes are computed here with
 * the same library for chosen instants: the current step, one step back (accepted: clock skew),
 * three steps back (expired), and the same code twice (replayed).
 */
@QuarkusTest
class MfaTest {
    static final String SIGN_IN = "/api/2.0/authentication";
    /** Any endpoint a user may call: the announcements the user sees. */
    static final String A_USER_ENDPOINT = "/oxaas/v1/announcements";
    private static final TimeBasedOneTimePasswordGenerator TOTP = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6,
            TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
    private static final Pattern URI_SHAPE = Pattern.compile(
            "otpauth://totp/Mailplane:([^?]+)\\?secret=([A-Z2-7]{32})&issuer=Mailplane&algorithm=SHA1&digits=6&period=30");

    @Inject
    Mfa mfa;

    /** An enrolled user: its row, the URI the enrolment answered, and the secret read from it. */
    record Enrolled(UserRef user, long pk, String uri, String secret, SecretKeySpec key) {
        String code(Instant at) {
            return MfaTest.code(key, at);
        }
    }

    static long pkOf(UserRef user) {
        return Db.count("SELECT pk FROM users WHERE context_id = ? AND user_id = ?", user.context().id(), user.id());
    }

    static Enrolled enrol(Mfa mfa, UserRef user) {
        long pk = pkOf(user);
        String uri = QuarkusTransaction.requiringNew().call(() -> mfa.enrol(pk, user.name()).otpauthUri());
        Matcher m = URI_SHAPE.matcher(uri);
        assertTrue(m.matches(), "the shape of " + uri);
        String secret = m.group(2);
        return new Enrolled(user, pk, uri, secret, new SecretKeySpec(Base32.decode(secret), "HmacSHA1"));
    }

    static String code(SecretKeySpec key, Instant at) {
        try {
            return TOTP.generateOneTimePasswordString(key, at);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response signIn(RequestSpecification as, String login, String password, String totp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userName", login);
        body.put("password", password);
        if (totp != null) {
            body.put("totp", totp);
        }
        return as.body(body).post(SIGN_IN);
    }

    static Response signIn(UserRef user, String totp) {
        return signIn(Fixtures.anonymous(), user.name(), user.password(), totp);
    }

    static void assertRefused(Response response, String code) {
        response.then().statusCode(401)
                .contentType("application/problem+json")
                .body("code", equalTo(code));
    }

    static String tokenOf(Response response) {
        response.then().statusCode(201);
        String token = response.jsonPath().getString("response.token");
        assertFalse(token == null || token.isEmpty(), response.asString());
        return token;
    }

    /** A code that is none of the codes of the steps around now (so it is wrong whatever the clock does meanwhile). */
    static String wrongCode(Enrolled e) {
        Instant now = Instant.now();
        List<String> near = List.of(e.code(now.minusSeconds(60)), e.code(now.minusSeconds(30)), e.code(now), e.code(now.plusSeconds(30)));
        for (int n = 0; ; n++) {
            String candidate = String.format("%06d", (Integer.parseInt(near.get(0)) + 500_000 + n) % 1_000_000);
            if (!near.contains(candidate)) {
                return candidate;
            }
        }
    }

    @Test
    void anEnrolmentAnswersAnOtpauthUriWithA160BitSecretAndTheAuthenticatorAppDefaults() {
        UserRef user = Fixtures.user(Fixtures.context());
        Enrolled e = enrol(mfa, user);
        URI uri = URI.create(e.uri());
        assertEquals("otpauth", uri.getScheme());
        assertEquals("totp", uri.getHost());
        assertEquals("/Mailplane:" + user.name(), uri.getPath(), "label: issuer and account, decoded");
        assertEquals(20, Base32.decode(e.secret()).length, "160 bits");
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertEquals(Map.of("secret", e.secret(), "issuer", "Mailplane", "algorithm", "SHA1", "digits", "6", "period", "30"), query);
        assertTrue(mfa.required(e.pk()));
        assertFalse(mfa.required(pkOf(Fixtures.user(user.context()))), "a user without an enrolment needs no code");
    }

    @Test
    void theLabelIsPercentEncodedSoNoAccountNameCanSplitTheUri() {
        String uri = Mfa.otpauthUri("Mailplane", "a b&c:d?e#f@x.example/ü", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        assertEquals("otpauth://totp/Mailplane:a%20b%26c%3Ad%3Fe%23f%40x.example%2F%C3%BC"
                + "?secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&issuer=Mailplane&algorithm=SHA1&digits=6&period=30", uri);
        assertEquals("/Mailplane:a b&c:d?e#f@x.example/ü", URI.create(uri).getPath());
    }

    @Test
    void theSecretIsStoredEncryptedNeverInPlaintext() {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        String stored = Db.string("SELECT secret FROM user_mfa WHERE user_pk = ?", e.pk());
        assertTrue(stored.startsWith("v1."), "a SecretBox ciphertext: " + stored);
        assertFalse(stored.toUpperCase().contains(e.secret()), "no plaintext secret in the row");
        assertEquals(0, Db.count("SELECT COUNT(*) FROM user_mfa WHERE secret LIKE ?", "%" + e.secret() + "%"));
    }

    @Test
    void aSignInWithTheCurrentCodeOpensASessionWhoseTokenWorks() {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        String token = tokenOf(signIn(e.user(), e.code(Instant.now())));
        Fixtures.anonymous().header("Authorization", "Bearer " + token).get(A_USER_ENDPOINT).then().statusCode(200);
        Fixtures.anonymous().header("Authorization", token).get(A_USER_ENDPOINT).then().statusCode(200);
    }

    @Test
    void aSignInWithoutACodeIsRefusedSayingThatOneIsRequiredButOnlyAfterThePasswordVerified() {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        Response missing = signIn(e.user(), null);
        assertRefused(missing, "ONE_TIME_CODE_REQUIRED");
        missing.then().body("detail", not(emptyOrNullString()));
        // a wrong password learns nothing about the account: the answer of any wrong password
        assertRefused(signIn(Fixtures.anonymous(), e.user().name(), e.user().password() + "x", null), "UNAUTHENTICATED");
        assertRefused(signIn(Fixtures.anonymous(), e.user().name(), e.user().password() + "x", e.code(Instant.now())), "UNAUTHENTICATED");
    }

    @Test
    void aWrongCodeIsRefused() {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        assertRefused(signIn(e.user(), wrongCode(e)), "ONE_TIME_CODE_INVALID");
        tokenOf(signIn(e.user(), e.code(Instant.now())));
    }

    @Test
    void aCodeWithAWrongPasswordIsNotSpent() {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        String code = e.code(Instant.now());
        assertRefused(signIn(Fixtures.anonymous(), e.user().name(), e.user().password() + "x", code), "UNAUTHENTICATED");
        tokenOf(signIn(e.user(), code));
    }

    @Test
    void aCodeOneStepOldIsAcceptedButOneThreeStepsOldHasExpired() {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        assertRefused(signIn(e.user(), e.code(Instant.now().minusSeconds(90))), "ONE_TIME_CODE_INVALID");
        // Far enough from the next step that "one step back" stays one step back until the service checks it.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().getEpochSecond() % 30 < 25);
        tokenOf(signIn(e.user(), e.code(Instant.now().minusSeconds(30))));
    }

    @Test
    void aReplayedCodeIsRefusedAndSoIsAnOlderOne() {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().getEpochSecond() % 30 < 25);
        Instant now = Instant.now();
        String current = e.code(now);
        String previous = e.code(now.minusSeconds(30));
        tokenOf(signIn(e.user(), current));
        assertRefused(signIn(e.user(), current), "ONE_TIME_CODE_INVALID");
        // still within the window, but older than the code used: refused too
        assertRefused(signIn(e.user(), previous), "ONE_TIME_CODE_INVALID");
        assertEquals(Mfa.stepOf(now), Db.count("SELECT last_step FROM user_mfa WHERE user_pk = ?", e.pk()));
    }

    @Test
    void ofConcurrentSignInsWithOneCodeExactlyOneOpensASession() throws Exception {
        Enrolled e = enrol(mfa, Fixtures.user(Fixtures.context()));
        String code = e.code(Instant.now());
        List<Response> answers = Race.of(8, i -> signIn(e.user(), code));
        List<Integer> statuses = Race.statuses(answers);
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one winner: " + statuses);
        answers.stream().filter(r -> r.statusCode() != 201).forEach(r -> assertRefused(r, "ONE_TIME_CODE_INVALID"));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM user_sessions WHERE user_pk = ?", e.pk()));
    }

    @Test
    void thePasswordOfAnEnrolledUserAloneOpensNothingWhileItsSessionTokenWorks() {
        UserRef user = Fixtures.user(Fixtures.context());
        // verified and cached before the enrolment ...
        Fixtures.as(user).get(A_USER_ENDPOINT).then().statusCode(200);
        Enrolled e = enrol(mfa, user);
        // ... and no longer admitted after it, cached or not
        Fixtures.as(user).get(A_USER_ENDPOINT).then().statusCode(401);
        Fixtures.as(user).get(A_USER_ENDPOINT).then().statusCode(401);
        String token = tokenOf(signIn(user, e.code(Instant.now())));
        Fixtures.anonymous().header("Authorization", "Bearer " + token).get(A_USER_ENDPOINT).then().statusCode(200);
        // a sign-in with the code did not make the password alone work (no cached admission)
        Fixtures.as(user).get(A_USER_ENDPOINT).then().statusCode(401);
        Fixtures.as(user).get("/api/2.0/mail/accounts").then().statusCode(401);
    }

    @Test
    void enrollingEndsTheSessionsOpenedWithoutACode() {
        UserRef user = Fixtures.user(Fixtures.context());
        String before = tokenOf(signIn(user, null));
        Fixtures.anonymous().header("Authorization", before).get(A_USER_ENDPOINT).then().statusCode(200);
        Enrolled e = enrol(mfa, user);
        Fixtures.anonymous().header("Authorization", before).get(A_USER_ENDPOINT).then().statusCode(401);
        String after = tokenOf(signIn(user, e.code(Instant.now())));
        Fixtures.anonymous().header("Authorization", after).get(A_USER_ENDPOINT).then().statusCode(200);
    }

    @Test
    void removingTheEnrolmentRestoresSignInWithThePasswordAlone() {
        UserRef user = Fixtures.user(Fixtures.context());
        Enrolled e = enrol(mfa, user);
        assertRefused(signIn(user, null), "ONE_TIME_CODE_REQUIRED");
        Fixtures.as(user).get(A_USER_ENDPOINT).then().statusCode(401);
        QuarkusTransaction.requiringNew().run(() -> mfa.remove(e.pk()));
        assertFalse(mfa.required(e.pk()));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM user_mfa WHERE user_pk = ?", e.pk()));
        tokenOf(signIn(user, null));
        Fixtures.as(user).get(A_USER_ENDPOINT).then().statusCode(200);
        // removing again changes nothing
        QuarkusTransaction.requiringNew().run(() -> mfa.remove(e.pk()));
    }

    @Test
    void aCodeIsIgnoredForAUserWithoutAnEnrolment() {
        UserRef user = Fixtures.user(Fixtures.context());
        tokenOf(signIn(user, "123456"));
    }

    @Test
    void reEnrollingReplacesTheSecretAndForgetsTheUsedCodes() {
        UserRef user = Fixtures.user(Fixtures.context());
        Enrolled first = enrol(mfa, user);
        tokenOf(signIn(user, first.code(Instant.now())));
        Enrolled second = enrol(mfa, user);
        assertNotEquals(first.secret(), second.secret());
        String oldCode = first.code(Instant.now());
        String newCode = second.code(Instant.now());
        if (!oldCode.equals(newCode)) {
            assertRefused(signIn(user, oldCode), "ONE_TIME_CODE_INVALID");
        }
        tokenOf(signIn(user, newCode));
    }

    @Test
    void deletingTheUserDeletesItsEnrolment() {
        UserRef user = Fixtures.user(Fixtures.context());
        Enrolled e = enrol(mfa, user);
        Fixtures.as(user.context()).delete("/oxaas/v1/admin/contexts/{cid}/users/{id}", user.context().id(), user.id())
                .then().statusCode(204);
        assertEquals(0, Db.count("SELECT COUNT(*) FROM user_mfa WHERE user_pk = ?", e.pk()));
    }
}
