package io.mailplane.shared;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;

/**
 * A shared account with a password signs in only with the one-time code of the enrolment its
 * creation answered (issue 15, part 2): the password alone is refused on every way in, a code is
 * good once, and the mail server never learns the password.
 */
@QuarkusTest
class SharedAccountMfaTest {
    private static final TimeBasedOneTimePasswordGenerator TOTP = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6,
            TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
    private static final Pattern SECRET = Pattern.compile("otpauth://totp/Mailplane:[^?]+\\?secret=([A-Z2-7]{32})&.*");

    static Response signIn(String login, String password, String totp) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("userName", login, "password", password));
        if (totp != null) {
            body.put("totp", totp);
        }
        return Fixtures.anonymous().body(body).post("/api/2.0/authentication");
    }

    @Test
    void anSsoAccountSignsInWithItsPasswordAndACodeOfItsEnrolmentAndNeverWithThePasswordAlone() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String address = SharedAccountsTest.address(context);
        String password = Fixtures.secret();
        String uri = SharedAccountsTest.create(context, address, "sso", owner.id(), password).then().statusCode(201)
                .extract().jsonPath().getString("mfa.otpauthUri");
        Matcher m = SECRET.matcher(uri);
        assertTrue(m.matches(), uri);
        SecretKeySpec key = new SecretKeySpec(Base32.decode(m.group(1)), "HmacSHA1");

        signIn(address, password, null).then().statusCode(401).body("code", equalTo("ONE_TIME_CODE_REQUIRED"));
        Fixtures.as(address, password).get("/oxaas/v1/announcements").then().statusCode(401);

        String code = TOTP.generateOneTimePasswordString(key, Instant.now());
        String token = signIn(address, password, code).then().statusCode(201).extract().jsonPath().getString("response.token");
        Fixtures.anonymous().header("Authorization", "Bearer " + token).get("/oxaas/v1/announcements").then().statusCode(200);
        signIn(address, password, code).then().statusCode(401).body("code", equalTo("ONE_TIME_CODE_INVALID"));

        assertEquals(1, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ? AND mail_password_hash IS NULL", address),
                "signing in gave the mail server no hash of the password");
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mailserver_v1_mailboxes WHERE username = ?", address.toLowerCase()),
                "an sso account has no mailbox");
    }

    @Test
    void aMailboxSsoAccountWhosePasswordIsRemovedNoLongerSignsInAtAll() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String address = SharedAccountsTest.address(context);
        String password = Fixtures.secret();
        String uri = SharedAccountsTest.create(context, address, "mailbox_sso", owner.id(), password).then().statusCode(201)
                .extract().jsonPath().getString("mfa.otpauthUri");
        Matcher m = SECRET.matcher(uri);
        assertTrue(m.matches(), uri);
        SecretKeySpec key = new SecretKeySpec(Base32.decode(m.group(1)), "HmacSHA1");

        Map<String, Object> noPassword = new LinkedHashMap<>();
        noPassword.put("password", null);
        Fixtures.as(context).body(noPassword).put(SharedAccountsTest.ONE, context.id(), address).then().statusCode(200)
                .body("type", equalTo("mailbox"));
        signIn(address, password, TOTP.generateOneTimePasswordString(key, Instant.now())).then().statusCode(401)
                .body("code", equalTo("UNAUTHENTICATED"));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM user_mfa m JOIN users u ON u.pk = m.user_pk WHERE u.uidname = ?", address),
                "the enrolment is gone with the password");
    }
}
