package io.mailplane.users;

import static io.mailplane.testing.Fixtures.anonymous;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The OX Cloud-Plugins per-user attributes, with OX's exact shapes. */
@QuarkusTest
class UserAttributesTest {
    private static final String BASE = "/oxaas/v1/admin/contexts/{cid}/users/{uid}/";

    /** attribute, PUT body, value read back (as JSON), whether DELETE exists. */
    static Stream<Arguments> attributes() {
        return Stream.of(
                Arguments.of("custom", Map.of("custom", List.of("a1", "b2")), List.of("a1", "b2"), true),
                Arguments.of("msisdn", Map.of("msisdn", "+49.12345.6789"), "+49.12345.6789", true),
                Arguments.of("classofservice", Map.of("classofservice", List.of("cloud_pim", "guard")), List.of("cloud_pim", "guard"), true),
                Arguments.of("oxdeliverystatus", Map.of("oxdeliverystatus", "OXAAS"), "OXAAS", true),
                Arguments.of("oxlegacyref", Map.of("oxlegacyref", "LEG_1"), "LEG_1", true),
                Arguments.of("oxantiphishing", Map.of("oxantiphishing", "replace-urls"), "replace-urls", true),
                Arguments.of("antivirus", Map.of("antivirus", true), true, false),
                Arguments.of("spamlevel", Map.of("spamlevel", "medium"), "medium", true),
                Arguments.of("quotamode", Map.of("quotamode", "unified"), "unified", false));
    }

    @ParameterizedTest
    @MethodSource("attributes")
    void shouldSetReadAndRemoveEachAttributeWithOxShapes(String attribute, Map<String, Object> body, Object value, boolean deletable) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        if (attribute.equals("quotamode")) {
            Fixtures.as(context).get(BASE + attribute, context.id(), user.id())
                    .then().statusCode(200).body("$", aMapWithSize(1)).body(attribute, equalTo("default"));
        } else if (!attribute.equals("spamlevel")) {
            Fixtures.as(context).get(BASE + attribute, context.id(), user.id())
                    .then().statusCode(404).body("code", equalTo("ATTRIBUTE_NOT_SET"));
        }
        Fixtures.as(context).body(body).put(BASE + attribute, context.id(), user.id())
                .then().statusCode(200)
                .body("$", aMapWithSize(4))
                .body("'context-id'", equalTo((int) context.id()))
                .body("'user-id'", equalTo(user.id()))
                .body("uidname", equalTo(user.name()))
                .body(attribute, equalTo(value));
        Fixtures.as(context).get(BASE + attribute, context.name(), user.id())
                .then().statusCode(200).body("$", aMapWithSize(1)).body(attribute, equalTo(value));
        if (deletable) {
            Fixtures.as(context).delete(BASE + attribute, context.id(), user.id())
                    .then().statusCode(200)
                    .body("$", aMapWithSize(3))
                    .body("'context-id'", equalTo((int) context.id()))
                    .body("uidname", equalTo(user.name()));
            ValidatableResponse after = Fixtures.as(context).get(BASE + attribute, context.id(), user.id()).then();
            if (attribute.equals("spamlevel")) {
                after.statusCode(200).body("spamlevel", equalTo(""));
            } else {
                after.statusCode(404).body("code", equalTo("ATTRIBUTE_NOT_SET"));
            }
        } else {
            Fixtures.as(context).delete(BASE + attribute, context.id(), user.id()).then().statusCode(405);
        }
    }

    @Test
    void shouldReadAnUnsetQuotamodeAsDefault() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).get(BASE + "quotamode", context.id(), user.id())
                .then().statusCode(200).body("$", aMapWithSize(1)).body("quotamode", equalTo("default"));
        Fixtures.as(context).get(BASE + "quotamode", context.name(), user.id())
                .then().statusCode(200).body("quotamode", equalTo("default"));
        Fixtures.as(context).body(Map.of("quotamode", "unified")).put(BASE + "quotamode", context.id(), user.id()).then().statusCode(200);
        Fixtures.as(context).get(BASE + "quotamode", context.id(), user.id()).then().statusCode(200).body("quotamode", equalTo("unified"));
        Fixtures.as(context).body(Map.of("quotamode", "default")).put(BASE + "quotamode", context.id(), user.id()).then().statusCode(200);
        Fixtures.as(context).get(BASE + "quotamode", context.id(), user.id()).then().statusCode(200).body("quotamode", equalTo("default"));
        // An unknown user is still 404.
        Fixtures.as(context).get(BASE + "quotamode", context.id(), 999).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
    }

    @Test
    void shouldTellAnUnknownUserApartFromAnUnsetAttribute() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).get(BASE + "msisdn", context.id(), 999).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        Fixtures.as(context).get(BASE + "msisdn", context.id(), user.id()).then().statusCode(404).body("code", equalTo("ATTRIBUTE_NOT_SET"));
        Fixtures.as(context).body(Map.of("msisdn", "+4912345678")).put(BASE + "msisdn", context.id(), 999)
                .then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        Fixtures.as(context).get(BASE + "spamlevel", context.id(), 999).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
    }

    @Test
    void shouldAcceptASingleCustomIdAndReadTheUidname() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).body(Map.of("custom", "only-one")).put(BASE + "custom", context.id(), user.id())
                .then().statusCode(200).body("custom", contains("only-one"));
        Fixtures.as(context).get(BASE + "uidname", context.id(), user.id()).then().statusCode(200).body("uidname", equalTo(user.name()));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("msisdn", "{\"msisdn\":\"4912345678\"}"),
                Arguments.of("msisdn", "{\"msisdn\":\"+1234567\"}"),
                Arguments.of("msisdn", "{\"msisdn\":\"+1234567890123456\"}"),
                Arguments.of("msisdn", "{\"msisdn\":\"+49..12345678\"}"),
                Arguments.of("msisdn", "{\"msisdn\":\"+49 1234 abc 5678\"}"),
                Arguments.of("msisdn", "{\"msisdn\":4912345678}"),
                Arguments.of("msisdn", "{}"),
                Arguments.of("classofservice", "{\"classofservice\":[]}"),
                Arguments.of("classofservice", "{\"classofservice\":[\"gold\"]}"),
                Arguments.of("classofservice", "{\"classofservice\":[\"cloud_pim\", null]}"),
                Arguments.of("spamlevel", "{\"spamlevel\":\"extreme\"}"),
                Arguments.of("spamlevel", "{\"spamlevel\":\"\"}"),
                Arguments.of("quotamode", "{\"quotamode\":\"shared\"}"),
                Arguments.of("antivirus", "{\"antivirus\":\"true\"}"),
                Arguments.of("antivirus", "{\"antivirus\":1}"),
                Arguments.of("antivirus", "{\"antivirus\":null}"),
                Arguments.of("custom", "{\"custom\":[]}"),
                Arguments.of("custom", "{\"custom\":\"has space\"}"),
                Arguments.of("custom", "{\"custom\":\"" + "x".repeat(129) + "\"}"),
                Arguments.of("custom", "{\"custom\":[" + String.join(",", java.util.Collections.nCopies(51, "\"c\"")) + "]}"),
                Arguments.of("oxdeliverystatus", "{\"oxdeliverystatus\":\"\"}"),
                Arguments.of("oxdeliverystatus", "{\"oxdeliverystatus\":\"" + "S".repeat(65) + "\"}"),
                Arguments.of("oxlegacyref", "{\"oxlegacyref\":\"<script>\"}"),
                Arguments.of("oxantiphishing", "{\"oxantiphishing\":[\"a\"]}"),
                Arguments.of("uidname", "{\"uidname\":\"\"}"),
                Arguments.of("uidname", "{\"uidname\":\"bad name\"}"),
                Arguments.of("msisdn", "{\"msisdn\":\"+4912345678\",\"extra\":1}"),
                Arguments.of("msisdn", "{\"msisdn\":"));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void shouldRejectInvalidValuesWith400AndChangeNothing(String attribute, String body) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Snapshot before = Snapshot.take();
        Fixtures.as(context).body(body).put(BASE + attribute, context.id(), user.id())
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.oneOf("VALIDATION_FAILED", "INVALID_TYPE", "UNKNOWN_FIELD", "MALFORMED_JSON"));
        before.assertUnchanged(attribute + " " + body);
    }

    @Test
    void shouldKeepUidnamesUnique() {
        ContextRef context = Fixtures.context();
        UserRef a = Fixtures.user(context);
        UserRef b = Fixtures.user(context);
        Fixtures.as(context).body(Map.of("uidname", a.name())).put(BASE + "uidname", context.id(), b.id())
                .then().statusCode(409).body("code", equalTo("USER_EXISTS"));
        String renamed = Fixtures.unique("renamed") + "@" + context.domain();
        Fixtures.as(context).body(Map.of("uidname", renamed)).put(BASE + "uidname", context.id(), b.id())
                .then().statusCode(200).body("uidname", equalTo(renamed));
        Fixtures.as(b).body(Map.of("userName", b.name(), "password", b.password())).post("/api/2.0/authentication").then().statusCode(401);
        anonymous().body(Map.of("userName", renamed, "password", b.password())).post("/api/2.0/authentication").then().statusCode(201);
    }

    @Test
    void shouldChangeSeveralAttributesInOnePostAndRemoveWithEmptyValues() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).body(Map.of("msisdn", "+49 170 1234567", "oxdeliverystatus", "OXAAS", "custom", List.of("k1", "k2")))
                .post("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(200)
                .body("msisdn", equalTo("+49 170 1234567"))
                .body("oxdeliverystatus", equalTo("OXAAS"))
                .body("custom", containsInAnyOrder("k1", "k2"))
                .body("'user-id'", equalTo(user.id()));
        Fixtures.as(context).body(Map.of("msisdn", "", "custom", List.of()))
                .post("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(200);
        Fixtures.as(context).get(BASE + "msisdn", context.id(), user.id()).then().statusCode(404);
        Fixtures.as(context).get(BASE + "custom", context.id(), user.id()).then().statusCode(404);
        Fixtures.as(context).get(BASE + "oxdeliverystatus", context.id(), user.id()).then().statusCode(200).body("oxdeliverystatus", equalTo("OXAAS"));
        // one bad value: nothing of the call happens
        Fixtures.as(context).body(Map.of("oxdeliverystatus", "NEW", "msisdn", "12"))
                .post("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(400).body("errors[0].field", equalTo("msisdn"));
        Fixtures.as(context).get(BASE + "oxdeliverystatus", context.id(), user.id()).then().body("oxdeliverystatus", equalTo("OXAAS"));
        Fixtures.as(context).body(Map.of()).post("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(400);
    }

    @Test
    void concurrentPutsToDifferentAttributesAllSurvive() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        List<Map<String, Object>> writes = List.of(
                Map.of("msisdn", "+4915112345678"), Map.of("spamlevel", "high"), Map.of("quotamode", "unified"),
                Map.of("antivirus", false), Map.of("oxdeliverystatus", "MIGRATED"), Map.of("oxlegacyref", "L9"),
                Map.of("oxantiphishing", "on"), Map.of("custom", List.of("x", "y")), Map.of("classofservice", List.of("cloud_security")));
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (Map<String, Object> write : writes) {
            String attribute = write.keySet().iterator().next();
            calls.add(CompletableFuture.supplyAsync(() -> Fixtures.as(context).body(write)
                    .put(BASE + attribute, context.id(), user.id()).statusCode()));
        }
        calls.forEach(c -> assertEquals(200, c.join()));
        Fixtures.as(context).queryParam("uids", user.name()).get("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(200)
                .body("'" + user.name() + "'.msisdn", equalTo("+4915112345678"))
                .body("'" + user.name() + "'.spamlevel", equalTo("high"))
                .body("'" + user.name() + "'.quotamode", equalTo("unified"))
                .body("'" + user.name() + "'.antivirus", equalTo(false))
                .body("'" + user.name() + "'.oxdeliverystatus", equalTo("MIGRATED"))
                .body("'" + user.name() + "'.oxlegacyref", equalTo("L9"))
                .body("'" + user.name() + "'.oxantiphishing", equalTo("on"))
                .body("'" + user.name() + "'.custom", containsInAnyOrder("x", "y"))
                .body("'" + user.name() + "'.classofservice", contains("cloud_security"));
    }

    @Test
    void shouldListChosenUsersKeyedByUidname() {
        ContextRef context = Fixtures.context();
        UserRef a = Fixtures.user(context);
        UserRef b = Fixtures.user(context);
        UserRef c = Fixtures.user(context);
        Fixtures.as(context).queryParam("uids", a.name() + "," + c.name() + ",nobody@nowhere.example")
                .get("/oxaas/v1/admin/contexts/{cid}/users", context.name())
                .then().statusCode(200)
                .body("$", aMapWithSize(2))
                .body("$", hasKey(a.name()))
                .body("$", not(hasKey(b.name())))
                .body("'" + c.name() + "'.'user-id'", equalTo(c.id()))
                .body("'" + c.name() + "'.'context-id'", equalTo((int) context.id()));
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(200).body("$", aMapWithSize(3));
    }

    @Test
    void shouldAuditAttributeChanges() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).body(Map.of("spamlevel", "low")).put(BASE + "spamlevel", context.id(), user.id()).then().statusCode(200);
        Fixtures.as(context.reseller()).get("/oxaas/v1/admin/audit?limit=5")
                .then().statusCode(200)
                .body("find { it.action == 'user.attribute.set' }.target", equalTo("spamlevel of user " + user.id() + " (" + user.name() + ") in context " + context.id()));
    }
}
