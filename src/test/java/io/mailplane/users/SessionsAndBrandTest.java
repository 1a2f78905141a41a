package io.mailplane.users;

import static io.mailplane.testing.Fixtures.anonymous;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DELETE /oxaas/v1/admin/sessions/ and GET /oxaas/v1/admin/contexts/{contextid}/brand */
@QuarkusTest
class SessionsAndBrandTest {
    private static String login(UserRef user) {
        return anonymous().body(Map.of("userName", user.name(), "password", user.password()))
                .post("/api/2.0/authentication").then().statusCode(201).extract().jsonPath().getString("response.token");
    }

    private static int useToken(String token) {
        return anonymous().header("Authorization", token).post("/api/2.0/authentication/logout").statusCode();
    }

    @Test
    void shouldCloseTheSessionsOfOneUser() {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        String aliceToken = login(alice);
        String bobToken = login(bob);
        Fixtures.as(context.reseller())
                .queryParam("contextId", context.id()).queryParam("userName", alice.name())
                .delete("/oxaas/v1/admin/sessions/")
                .then().statusCode(200)
                .body("closed", hasSize(1))
                .body("closed[0].uidname", equalTo(alice.name()))
                .body("closed[0].'user-id'", equalTo(alice.id()));
        org.junit.jupiter.api.Assertions.assertEquals(401, useToken(aliceToken));
        org.junit.jupiter.api.Assertions.assertEquals(204, useToken(bobToken));
    }

    @Test
    void shouldCloseAllSessionsOfAContextByName() {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        String a = login(alice);
        String b = login(bob);
        Fixtures.as(context.reseller()).queryParam("contextName", context.name()).delete("/oxaas/v1/admin/sessions")
                .then().statusCode(200).body("closed", hasSize(2));
        org.junit.jupiter.api.Assertions.assertEquals(401, useToken(a));
        org.junit.jupiter.api.Assertions.assertEquals(401, useToken(b));
        Fixtures.as(context.reseller()).queryParam("contextName", context.name()).queryParam("userMail", alice.email())
                .delete("/oxaas/v1/admin/sessions").then().statusCode(200).body("closed", empty());
    }

    @Test
    void shouldRefuseBadOrForeignSessionRequests() {
        ContextRef context = Fixtures.context();
        ContextRef foreign = Fixtures.context();
        UserRef user = Fixtures.user(context);
        ResellerRef reseller = context.reseller();
        Fixtures.as(reseller).delete("/oxaas/v1/admin/sessions").then().statusCode(400);
        Fixtures.as(reseller).queryParam("contextId", context.id()).queryParam("contextName", context.name())
                .delete("/oxaas/v1/admin/sessions").then().statusCode(400);
        Fixtures.as(reseller).queryParam("contextId", "abc").delete("/oxaas/v1/admin/sessions").then().statusCode(400);
        Fixtures.as(reseller).queryParam("contextId", context.id()).queryParam("userId", user.id()).queryParam("userName", user.name())
                .delete("/oxaas/v1/admin/sessions").then().statusCode(400);
        Fixtures.as(reseller).queryParam("contextId", context.id()).queryParam("userId", 999)
                .delete("/oxaas/v1/admin/sessions").then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        Fixtures.as(reseller).queryParam("contextId", foreign.id()).delete("/oxaas/v1/admin/sessions")
                .then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
    }

    @Test
    void shouldNameTheBrandAndItsTopLevelBrand() {
        ResellerRef top = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(top);
        ContextRef topContext = Fixtures.context(top);
        ContextRef subContext = Fixtures.context(sub);
        Fixtures.as(subContext).get("/oxaas/v1/admin/contexts/{cid}/brand", subContext.id())
                .then().statusCode(200)
                .body("brandname", equalTo(sub.brand()))
                .body("'toplevel-brand'", equalTo(top.brand()));
        Fixtures.as(top).get("/oxaas/v1/admin/contexts/{cid}/brand", topContext.name())
                .then().statusCode(200)
                .body("brandname", equalTo(top.brand()))
                .body("'toplevel-brand'", equalTo(top.brand()));
        Fixtures.asQualified(topContext).get("/oxaas/v1/admin/contexts/{cid}/brand", subContext.id()).then().statusCode(404);
    }
}
