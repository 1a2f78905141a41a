package io.mailplane.security;

import static io.mailplane.testing.Fixtures.anonymous;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unpaired surrogates (issue 9, item 8): JSON can carry {@code "\\ud800\\udbff"}, which UTF-8
 * turns into {@code "??"}, so a password holding them would also open with question marks. Such
 * passwords and logins are refused with 400 wherever they are set or signed in with, and a
 * verification never matches them.
 */
@QuarkusTest
class IllFormedUtf16Test {
    /** As JSON text (escapes, not Java ones): two unpaired high surrogates. */
    private static final String SURROGATES_JSON = "\\ud800\\udbff";
    /** As a Java string. */
    private static final String SURROGATES = "\ud800\udbff";
    /** What UTF-8 makes of them. */
    private static final String QUESTION_MARKS = "??";
    /** As JSON text: a well-formed pair (an emoji). */
    private static final String PAIR_JSON = "\\ud83d\\ude00";
    private static final String SIGN_IN = "/api/2.0/authentication";

    @Inject
    CredentialVerifier verifier;
    @Inject
    Passwords passwords;

    /** A JSON object of string members whose values are written as given (JSON escapes stay escapes). */
    private static String json(String... keysAndRawValues) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keysAndRawValues.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append('"').append(keysAndRawValues[i]).append("\":\"")
                    .append(keysAndRawValues[i + 1]).append('"');
        }
        return sb.append('}').toString();
    }

    record Fixture(ResellerRef reseller, ContextRef context, UserRef user) {
    }

    /** One place where a realm's password or login is set. */
    record Setter(Function<Fixture, RequestSpecification> caller, String method, String path,
                  Function<Fixture, Object[]> params, Function<Fixture, Function<String, String>> body) {
    }

    static Stream<Arguments> passwordSetters() {
        return Stream.of(
                Arguments.of("user creation", new Setter(f -> Fixtures.as(f.context()), "POST", "/oxaas/v1/admin/contexts/{cid}/users",
                        f -> new Object[] {f.context().id()},
                        f -> p -> json("name", Fixtures.unique("u"), "password", p, "displayName", "U",
                                "primaryEmail", Fixtures.unique("m") + "@" + f.context().domain()))),
                Arguments.of("user password change", new Setter(f -> Fixtures.as(f.context()), "PUT",
                        "/oxaas/v1/admin/contexts/{cid}/users/{uid}/password",
                        f -> new Object[] {f.context().id(), f.user().id()}, f -> p -> json("password", p))),
                Arguments.of("context creation", new Setter(f -> Fixtures.as(f.reseller()), "POST", "/oxaas/v1/admin/contexts",
                        f -> new Object[0], f -> p -> json("name", Fixtures.unique("c"), "adminPassword", p))),
                Arguments.of("context admin password change", new Setter(f -> Fixtures.as(f.reseller()), "PUT",
                        "/oxaas/v1/admin/contexts/{cid}", f -> new Object[] {f.context().id()}, f -> p -> json("adminPassword", p))),
                Arguments.of("reseller creation", new Setter(f -> Fixtures.asMaster(), "POST", "/oxaas/v1/admin/resellers",
                        f -> new Object[0], f -> p -> json("name", Fixtures.unique("r"), "password", p, "displayName", "R",
                                "brand", Fixtures.unique("b")))),
                Arguments.of("reseller password change", new Setter(f -> Fixtures.asMaster(), "PUT", "/oxaas/v1/admin/resellers/{id}",
                        f -> new Object[] {f.reseller().id()}, f -> p -> json("password", p))),
                Arguments.of("tenant credentials", new Setter(f -> Fixtures.as(f.reseller()), "PUT", "/oxaas/v1/admin/resellers/{id}/tenant",
                        f -> new Object[] {f.reseller().id()}, f -> p -> json("login", Fixtures.unique("t"), "password", p))));
    }

    static Stream<Arguments> loginSetters() {
        return Stream.of(
                Arguments.of("user creation", new Setter(f -> Fixtures.as(f.context()), "POST", "/oxaas/v1/admin/contexts/{cid}/users",
                        f -> new Object[] {f.context().id()},
                        f -> l -> json("name", l, "password", Fixtures.secret(), "displayName", "U",
                                "primaryEmail", Fixtures.unique("m") + "@" + f.context().domain()))),
                Arguments.of("user rename", new Setter(f -> Fixtures.as(f.context()), "PUT", "/oxaas/v1/admin/contexts/{cid}/users/{uid}/uidname",
                        f -> new Object[] {f.context().id(), f.user().id()}, f -> l -> json("uidname", l))),
                Arguments.of("context admin", new Setter(f -> Fixtures.as(f.reseller()), "POST", "/oxaas/v1/admin/contexts",
                        f -> new Object[0], f -> l -> json("name", Fixtures.unique("c"), "adminLogin", l, "adminPassword", Fixtures.secret()))),
                Arguments.of("reseller creation", new Setter(f -> Fixtures.asMaster(), "POST", "/oxaas/v1/admin/resellers",
                        f -> new Object[0], f -> l -> json("name", l, "password", Fixtures.secret(), "displayName", "R",
                                "brand", Fixtures.unique("b")))),
                Arguments.of("tenant credentials", new Setter(f -> Fixtures.as(f.reseller()), "PUT", "/oxaas/v1/admin/resellers/{id}/tenant",
                        f -> new Object[] {f.reseller().id()}, f -> l -> json("login", l, "password", Fixtures.secret()))));
    }

    private static Fixture fixture() {
        ContextRef context = Fixtures.context();
        return new Fixture(context.reseller(), context, Fixtures.user(context));
    }

    private static void refusedThenAccepted(String what, Setter setter, String illFormed, String wellFormed) {
        Fixture f = fixture();
        Snapshot before = Snapshot.take();
        setter.caller().apply(f).body(setter.body().apply(f).apply(illFormed))
                .request(setter.method(), setter.path(), setter.params().apply(f))
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
        before.assertUnchanged(what);
        setter.caller().apply(f).body(setter.body().apply(f).apply(wellFormed))
                .request(setter.method(), setter.path(), setter.params().apply(f))
                .then().statusCode(lessThan(300));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passwordSetters")
    void shouldRefuseAPasswordWithUnpairedSurrogatesWith400AndChangeNothing(String what, Setter setter) {
        refusedThenAccepted(what, setter, Fixtures.SECRET_MARK + "x" + SURROGATES_JSON + "yz",
                Fixtures.SECRET_MARK + "x" + PAIR_JSON + "yz");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loginSetters")
    void shouldRefuseALoginWithUnpairedSurrogatesWith400AndChangeNothing(String what, Setter setter) {
        String login = Fixtures.unique("l");
        refusedThenAccepted(what, setter, login + SURROGATES_JSON, login);
    }

    @Test
    void shouldRefuseADisplayNameWithUnpairedSurrogatesRatherThanStoreQuestionMarks() {
        ContextRef context = Fixtures.context();
        String login = Fixtures.unique("u") + "@" + context.domain();
        Snapshot before = Snapshot.take();
        Fixtures.as(context).body(json("name", login, "password", Fixtures.secret(), "displayName", "Ann " + SURROGATES_JSON,
                        "primaryEmail", login))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        Fixtures.asMaster().body(json("name", Fixtures.unique("r"), "password", Fixtures.secret(), "displayName", SURROGATES_JSON,
                "brand", Fixtures.unique("b"))).post("/oxaas/v1/admin/resellers")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        before.assertUnchanged();
        Fixtures.as(context).body(json("name", login, "password", Fixtures.secret(), "displayName", "Ann " + PAIR_JSON,
                        "primaryEmail", login))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(201).body("displayName", equalTo("Ann \ud83d\ude00"));
    }

    @Test
    void shouldNotLetQuestionMarksOpenAnAccountSetUpWithUnpairedSurrogates() {
        ContextRef context = Fixtures.context();
        String login = Fixtures.unique("u") + "@" + context.domain();
        String stem = Fixtures.secret();
        Fixtures.as(context).body(json("name", login, "password", stem + SURROGATES_JSON, "displayName", "U", "primaryEmail", login))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        Fixtures.as(login, stem + QUESTION_MARKS).get("/api/2.0/mail/accounts").then().statusCode(401);
        anonymous().body(Map.of("userName", login, "password", stem + QUESTION_MARKS)).post(SIGN_IN).then().statusCode(401);
    }

    @Test
    void shouldRefuseASignInWithUnpairedSurrogatesEvenRightAfterTheQuestionMarkPasswordSignedIn() {
        ContextRef context = Fixtures.context();
        String login = Fixtures.unique("u") + "@" + context.domain();
        String password = Fixtures.secret() + QUESTION_MARKS;
        Fixtures.as(context).body(Map.of("name", login, "password", password, "displayName", "U", "primaryEmail", login))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id()).then().statusCode(201);
        // A successful sign-in with the question marks, so that a verification is cached.
        anonymous().body(Map.of("userName", login, "password", password)).post(SIGN_IN).then().statusCode(201);
        Snapshot before = Snapshot.take();
        anonymous().body(json("userName", login, "password", password.replace(QUESTION_MARKS, SURROGATES_JSON)))
                .post(SIGN_IN)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
        anonymous().body(json("userName", login + SURROGATES_JSON, "password", password)).post(SIGN_IN)
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        before.assertUnchanged();
    }

    @Test
    void shouldNeverVerifyIllFormedCredentials() {
        ContextRef context = Fixtures.context();
        String login = Fixtures.unique("u") + "@" + context.domain();
        String password = Fixtures.secret() + QUESTION_MARKS;
        Fixtures.as(context).body(Map.of("name", login, "password", password, "displayName", "U", "primaryEmail", login))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id()).then().statusCode(201);
        String illFormed = password.replace(QUESTION_MARKS, SURROGATES);
        assertEquals(1, verifier.authenticate(login, password, null, "203.0.113.9").size(), "the question marks are the password");
        // Neither the cached verification nor the stored hash may answer to the surrogates.
        assertTrue(verifier.authenticate(login, illFormed, null, "203.0.113.9").isEmpty());
        assertTrue(verifier.authenticate(login, illFormed, context.name(), "203.0.113.9").isEmpty());
        String hash = Db.string("SELECT password_hash FROM users WHERE uidname = ?", login);
        assertTrue(passwords.matches(password, hash));
        assertFalse(passwords.matches(illFormed, hash));
        assertFalse(passwords.matches("\udc00" + password, passwords.hash("?" + password)));
        assertThrows(IllegalArgumentException.class, () -> passwords.hash(illFormed));
    }
}
