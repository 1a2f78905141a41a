package io.mailplane.tenancy;

import io.mailplane.directory.Reseller;

import static io.mailplane.testing.Fixtures.anonymous;
import static io.mailplane.testing.Fixtures.as;
import static io.mailplane.testing.Fixtures.asMaster;
import static io.mailplane.testing.Fixtures.asQualified;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class ProvisioningFlowTest {

    @Test
    void shouldProvisionResellerContextAndUserEndToEnd() {
        String resellerName = Fixtures.unique("flow");
        String resellerPassword = Fixtures.secret();
        long resellerId = asMaster().body(Map.of("name", resellerName, "password", resellerPassword,
                        "displayName", "Flow Reseller", "brand", resellerName + ".brand",
                        "restrictions", Map.of("maxContexts", 5, "maxUsers", 10, "maxQuotaMb", 100000)))
                .post("/oxaas/v1/admin/resellers")
                .then().statusCode(201)
                .header("Location", notNullValue())
                .body("name", equalTo(resellerName))
                .body("restrictions.maxContexts", equalTo(5))
                .extract().jsonPath().getLong("id");

        String contextName = Fixtures.unique("flowctx");
        String adminPassword = Fixtures.secret();
        long contextId = as(resellerName, resellerPassword)
                .body(Map.of("name", contextName, "adminPassword", adminPassword, "maxUsers", 3))
                .post("/oxaas/v1/admin/contexts")
                .then().statusCode(201)
                .body("name", equalTo(contextName))
                .body("adminLogin", equalTo("oxadmin"))
                .body("resellerId", equalTo((int) resellerId))
                .extract().jsonPath().getLong("id");

        as(resellerName, resellerPassword).put("/oxaas/v1/admin/contexts/{cid}/domains/{domain}", contextId, contextName + ".example.com")
                .then().statusCode(201).body("domain", equalTo(contextName + ".example.com"));
        String login = "alice@" + contextName + ".example.com";
        as("oxadmin", adminPassword)
                .body(Map.of("name", login, "password", Fixtures.secret(), "displayName", "Alice",
                        "primaryEmail", login, "aliases", List.of("ali@" + contextName + ".EXAMPLE.com"), "quotaMb", 500))
                .post("/oxaas/v1/admin/contexts/{cid}/users", contextName)
                .then().statusCode(201)
                .body("id", equalTo(3))
                .body("aliases", contains("ali@" + contextName + ".example.com"));

        as("oxadmin", adminPassword)
                .get("/oxaas/v1/admin/contexts/{cid}/users/3", contextId)
                .then().statusCode(200)
                .header("ETag", equalTo("\"0\""))
                .body("name", equalTo(login))
                .body("displayName", equalTo("Alice"))
                .body("primaryEmail", equalTo(login))
                .body("quotaMb", equalTo(500))
                .body("contextId", equalTo((int) contextId));

        as(resellerName, resellerPassword).get("/oxaas/v1/admin/contexts")
                .then().statusCode(200)
                .body("name", contains(contextName));
    }

    @Test
    void shouldNumberUsersFromThreeAndListThemKeyedByLogin() {
        ContextRef context = Fixtures.context();
        UserRef first = Fixtures.user(context);
        UserRef second = Fixtures.user(context);
        assertEquals(3, first.id());
        assertEquals(4, second.id());
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(200)
                .body("$", hasKey(first.name()))
                .body("$", hasKey(second.name()))
                .body("'" + second.name() + "'.'user-id'", equalTo(4));
        Fixtures.as(context).queryParam("limit", 1).queryParam("offset", 1)
                .get("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(200)
                .body("size()", equalTo(1))
                .body("$", hasKey(second.name()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=abc", "limit=0", "limit=1001", "limit=-1", "offset=-1", "offset=x", "limit=1.5"})
    void shouldRejectBadPagingParametersWith400(String query) {
        asMaster().get("/oxaas/v1/admin/resellers?" + query)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors[0].field", equalTo(query.substring(0, query.indexOf('='))));
    }

    @Test
    void shouldServeTheGatewayPrefixLikeTheAdminPath() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).get("/api/oxaas/v1/admin/contexts/{cid}/users/{uid}?limit=5", context.name(), user.id())
                .then().statusCode(200)
                .body("name", equalTo(user.name()));
        anonymous().get("/api/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.name(), user.id())
                .then().statusCode(401);
    }

    /** Health is served on the management interface. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "health/live", management = true)
    java.net.URL live;

    @Test
    void shouldEchoOrCreateARequestIdOnEveryResponse() {
        anonymous().header("X-Request-Id", "trace-123").get("/oxaas/v1/admin/contexts")
                .then().statusCode(401).header("X-Request-Id", equalTo("trace-123"))
                .body("requestId", equalTo("trace-123"));
        anonymous().get(live.toString()).then().statusCode(200).header("X-Request-Id", notNullValue());
        anonymous().get("/no/such/path").then().statusCode(404).header("X-Request-Id", notNullValue());
    }

    @Test
    void shouldRejectAStaleIfMatchAndAcceptTheCurrentOne() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String etag = Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(200).extract().header("ETag");
        Fixtures.as(context).header("If-Match", etag).body(Map.of("displayName", "Renamed"))
                .put("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(200).header("ETag", not(equalTo(etag))).body("displayName", equalTo("Renamed"));
        Fixtures.as(context).header("If-Match", etag).body(Map.of("displayName", "Lost update"))
                .put("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(412).contentType("application/problem+json").body("code", equalTo("PRECONDITION_FAILED"));
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().body("displayName", equalTo("Renamed"));
    }

    @Test
    void shouldRefuseTheOldPasswordAsSoonAsItChanges() {
        ContextRef context = Fixtures.context();
        // Warm the credential cache with the admin's password, then change it.
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}", context.id()).then().statusCode(200);
        String newPassword = Fixtures.secret();
        as(context.reseller().name(), context.reseller().password())
                .body(Map.of("adminPassword", newPassword))
                .put("/oxaas/v1/admin/contexts/{cid}", context.id())
                .then().statusCode(200);
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}", context.id()).then().statusCode(401);
        as(context.adminLogin(), newPassword).get("/oxaas/v1/admin/contexts/{cid}", context.id()).then().statusCode(200);
    }

    @Test
    void shouldOpenASessionRecordTheLoginAndAcceptTheToken() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String token = anonymous().body(Map.of("userName", user.name(), "password", user.password()))
                .post("/api/2.0/authentication")
                .then().statusCode(201)
                .body("statusCode", equalTo(201))
                .body("response.token", notNullValue())
                .extract().jsonPath().getString("response.token");
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().body("lastLogin", notNullValue());
        assertEquals(1, Db.count("SELECT COUNT(*) FROM user_sessions s JOIN users u ON u.pk = s.user_pk "
                + "WHERE u.uidname = ? AND s.revoked_at IS NULL", user.name()));
        anonymous().body(Map.of("userName", user.name(), "password", "wrong-" + user.password()))
                .post("/api/2.0/authentication")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        // Session tokens authenticate users, not admins: the admin API refuses them with 403.
        anonymous().header("Authorization", "Bearer " + token)
                .get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(403);
        anonymous().header("Authorization", "Bearer not-a-token")
                .get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(401);
    }

    @Test
    void shouldEndASessionOnLogoutAndAllSessionsOnPasswordChange() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String first = token(user, user.password());
        anonymous().header("Authorization", first).post("/api/2.0/authentication/logout").then().statusCode(204);
        anonymous().header("Authorization", first).post("/api/2.0/authentication/logout").then().statusCode(401);

        String second = token(user, user.password());
        String newPassword = Fixtures.secret();
        Fixtures.as(context).body(Map.of("password", newPassword))
                .put("/oxaas/v1/admin/contexts/{cid}/users/{uid}/password", context.id(), user.id())
                .then().statusCode(204);
        anonymous().header("Authorization", "Bearer " + second).post("/api/2.0/authentication/logout").then().statusCode(401);
        Fixtures.as(user).post("/api/2.0/authentication/logout").then().statusCode(401);
        as(user.name(), newPassword).post("/api/2.0/authentication/logout").then().statusCode(204);
    }

    private static String token(UserRef user, String password) {
        return anonymous().body(Map.of("userName", user.name(), "password", password))
                .post("/api/2.0/authentication")
                .then().statusCode(201)
                .extract().jsonPath().getString("response.token");
    }

    @Test
    void shouldDeleteAContextWithEverythingInIt() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).body(Map.of("name", "team", "members", List.of(user.id())))
                .post("/oxaas/v1/admin/contexts/{cid}/groups", context.id()).then().statusCode(201);
        anonymous().body(Map.of("userName", user.name(), "password", user.password()))
                .post("/api/2.0/authentication").then().statusCode(201);

        Fixtures.as(context.reseller()).delete("/oxaas/v1/admin/contexts/{cid}", context.name()).then().statusCode(204);

        assertEquals(0, Db.count("SELECT COUNT(*) FROM contexts WHERE id = ?", context.id()));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM users WHERE context_id = ?", context.id()));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM groups_ WHERE context_id = ?", context.id()));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM user_aliases a JOIN users u ON u.pk = a.user_pk WHERE u.context_id = ?", context.id()));
        Fixtures.as(context.reseller()).get("/oxaas/v1/admin/contexts/{cid}", context.id()).then().statusCode(404);
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users", context.id()).then().statusCode(401);
        anonymous().body(Map.of("userName", user.name(), "password", user.password()))
                .post("/api/2.0/authentication").then().statusCode(401);
    }

    @Test
    void shouldManageGroupsWithMembers() {
        ContextRef context = Fixtures.context();
        UserRef a = Fixtures.user(context);
        UserRef b = Fixtures.user(context);
        int groupId = Fixtures.as(context).body(Map.of("name", "sales", "displayName", "Sales", "members", List.of(a.id())))
                .post("/oxaas/v1/admin/contexts/{cid}/groups", context.id())
                .then().statusCode(201).body("id", equalTo(1)).body("members", contains(a.id()))
                .extract().jsonPath().getInt("id");
        Fixtures.as(context).body(Map.of("members", List.of(a.id(), b.id())))
                .put("/oxaas/v1/admin/contexts/{cid}/groups/{gid}", context.id(), groupId)
                .then().statusCode(200).body("members", containsInAnyOrder(a.id(), b.id()));
        Fixtures.as(context).delete("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), b.id()).then().statusCode(204);
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/groups/{gid}", context.id(), groupId)
                .then().statusCode(200).body("members", contains(a.id()));
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/groups", context.id())
                .then().statusCode(200).body("name", contains("sales"));
        Fixtures.as(context).delete("/oxaas/v1/admin/contexts/{cid}/groups/{gid}", context.id(), groupId).then().statusCode(204);
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/groups/{gid}", context.id(), groupId)
                .then().statusCode(404).body("code", equalTo("GROUP_NOT_FOUND"));
    }

    @Test
    void shouldEnforceResellerAndContextRestrictions() {
        ResellerRef reseller = Fixtures.reseller();
        asMaster().body(Map.of("restrictions", Map.of("maxContexts", 1, "maxUsers", 2)))
                .put("/oxaas/v1/admin/resellers/{id}", reseller.id()).then().statusCode(200);
        ContextRef context = Fixtures.context(reseller);
        Fixtures.as(reseller).body(Map.of("name", Fixtures.unique("over"), "adminPassword", Fixtures.secret()))
                .post("/oxaas/v1/admin/contexts")
                .then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED"));
        Fixtures.user(context);
        Fixtures.user(context);
        String login = Fixtures.unique("third") + "@" + context.domain();
        Fixtures.as(context).body(Map.of("name", login, "password", Fixtures.secret(), "displayName", "Third", "primaryEmail", login))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED"));
        // A reseller cannot lift its own restrictions.
        Fixtures.as(reseller).body(Map.of("restrictions", Map.of("maxContexts", 100)))
                .put("/oxaas/v1/admin/resellers/{id}", reseller.id())
                .then().statusCode(403);
    }

    @Test
    void shouldRecordEveryChangeInTheAuditLogOfTheTree() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef child = Fixtures.subReseller(parent);
        ContextRef context = Fixtures.context(child);
        UserRef user = Fixtures.user(context);
        Fixtures.as(parent).get("/oxaas/v1/admin/audit")
                .then().statusCode(200)
                .body("action", hasItem("user.create"))
                .body("action", hasItem("context.create"))
                .body("find { it.action == 'user.create' }.actor", equalTo("oxadmin"))
                .body("find { it.action == 'user.create' }.target", equalTo("user " + user.id() + " (" + user.name() + ") in context " + context.id()))
                .body("find { it.action == 'user.create' }.requestId", notNullValue());
        Fixtures.as(child).get("/oxaas/v1/admin/audit")
                .then().statusCode(200).body("resellerId", not(hasItem((int) parent.id())));
        asMaster().get("/oxaas/v1/admin/audit?limit=1").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void shouldKeepSubResellersUnderTheirParent() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef child = Fixtures.subReseller(parent);
        Fixtures.as(parent).get("/oxaas/v1/admin/resellers/{id}", child.id())
                .then().statusCode(200).body("parentId", equalTo((int) parent.id()));
        Fixtures.as(child).get("/oxaas/v1/admin/resellers/{id}", parent.id()).then().statusCode(404);
        Fixtures.as(parent).delete("/oxaas/v1/admin/resellers/{id}", parent.id()).then().statusCode(403);
        asMaster().delete("/oxaas/v1/admin/resellers/{id}", parent.id())
                .then().statusCode(409).body("code", equalTo("RESELLER_IN_USE"));
        Fixtures.as(parent).delete("/oxaas/v1/admin/resellers/{id}", child.id()).then().statusCode(204);
        Fixtures.as(child).get("/oxaas/v1/admin/contexts").then().statusCode(401);
    }

    @Test
    void shouldLetTenantCredentialsBeSetWithoutShowingThePassword() {
        ResellerRef reseller = Fixtures.reseller();
        String login = Fixtures.unique("tenant");
        Fixtures.as(reseller).body(Map.of("login", login, "password", Fixtures.secret()))
                .put("/oxaas/v1/admin/resellers/{id}/tenant", reseller.id()).then().statusCode(204);
        Fixtures.as(reseller).get("/oxaas/v1/admin/resellers/{id}", reseller.id())
                .then().statusCode(200).body("tenantLogin", equalTo(login)).body("password", nullValue());
    }
}
