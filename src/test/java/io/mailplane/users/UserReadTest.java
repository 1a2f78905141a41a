package io.mailplane.users;

import static io.mailplane.testing.Fixtures.anonymous;
import static io.mailplane.testing.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET .../users/{uid}} reads the user with one plain JDBC statement (no entity, no
 * transaction): it answers every field as stored, the ETag is the row's version, and the version
 * and fields it answers move with every write.
 */
@QuarkusTest
class UserReadTest {
    private static final String USER = "/oxaas/v1/admin/contexts/{cid}/users/{uid}";

    @Test
    void aReadAnswersEveryFieldAsStoredWithTheVersionAsETag() {
        ContextRef context = Fixtures.context();
        String local = unique("r");
        String login = local + "@" + context.domain();
        String password = Fixtures.secret();
        List<String> aliases = List.of("z-" + local + "@" + context.domain(), "a-" + local + "@" + context.domain());
        int id = Fixtures.as(context).body(Map.of("name", login, "password", password, "displayName", "Reader " + local,
                        "primaryEmail", login, "aliases", aliases, "quotaMb", 2048))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(201).extract().jsonPath().getInt("id");
        // a sign-in records the last login, which the read answers to the millisecond
        anonymous().body(Map.of("userName", login, "password", password)).post("/api/2.0/authentication").then().statusCode(201);

        Response read = Fixtures.as(context).get(USER, context.id(), id);
        read.then().statusCode(200);
        JsonPath body = read.jsonPath();
        assertEquals(id, body.getInt("id"));
        assertEquals(context.id(), body.getLong("contextId"));
        assertEquals(login, body.getString("name"));
        assertEquals("Reader " + local, body.getString("displayName"));
        assertEquals(login, body.getString("primaryEmail"));
        assertEquals(aliases.stream().sorted().toList(), body.getList("aliases", String.class));
        assertEquals(2048, body.getLong("quotaMb"));
        String stored = Db.string("SELECT CAST(ROUND(UNIX_TIMESTAMP(last_login_at) * 1000) AS CHAR) FROM users WHERE uidname = ?", login);
        assertNotNull(body.getString("lastLogin"));
        assertEquals(Instant.ofEpochMilli(Long.parseLong(stored)), Instant.parse(body.getString("lastLogin")));
        String version = Db.string("SELECT version FROM users WHERE uidname = ?", login);
        assertEquals("\"" + version + "\"", read.getHeader("ETag"));
    }

    @Test
    void aReadAfterAWriteAnswersTheNewFieldsAndTheNewVersion() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Response before = Fixtures.as(context).get(USER, context.id(), user.id());
        before.then().statusCode(200).body("quotaMb", org.hamcrest.Matchers.nullValue())
                .body("aliases", org.hamcrest.Matchers.empty());
        String alias = unique("x") + "@" + context.domain();
        Fixtures.as(context).header("If-Match", before.getHeader("ETag")).body(Map.of("displayName", "Renamed", "aliases", List.of(alias)))
                .put(USER, context.id(), user.id()).then().statusCode(200);
        Response after = Fixtures.as(context).get(USER, context.id(), user.id());
        after.then().statusCode(200).body("displayName", org.hamcrest.Matchers.equalTo("Renamed"))
                .body("aliases", org.hamcrest.Matchers.contains(alias));
        String version = Db.string("SELECT version FROM users WHERE pk = (SELECT pk FROM users WHERE uidname = ?)", user.name());
        assertEquals("\"" + version + "\"", after.getHeader("ETag"));
        assertTrue(Integer.parseInt(version) > Integer.parseInt(before.getHeader("ETag").replace("\"", "")), "the version moved on");
        Fixtures.as(context).get(USER + "/aliases", context.id(), user.id()).then().statusCode(200)
                .body("aliases", org.hamcrest.Matchers.contains(alias));
    }

    @Test
    void aUserOfAnotherTenantOrAnUnknownUserIsNotFound() {
        ContextRef mine = Fixtures.context();
        UserRef theirs = Fixtures.user(Fixtures.context());
        // the same user id exists in the other context only
        Fixtures.as(mine).get(USER, mine.id(), theirs.id()).then().statusCode(404).body("code", org.hamcrest.Matchers.equalTo("USER_NOT_FOUND"));
        // a reseller of another tree does not see the context at all
        Fixtures.as(mine.reseller()).get(USER, theirs.context().id(), theirs.id()).then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("CONTEXT_NOT_FOUND"));
        Fixtures.as(mine).get(USER + "/aliases", mine.id(), 999_999).then().statusCode(404);
    }
}
