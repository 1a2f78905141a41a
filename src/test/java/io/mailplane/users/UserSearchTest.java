package io.mailplane.users;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

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

/** GET /oxaas/v1/admin/users?search=&field= */
@QuarkusTest
class UserSearchTest {
    private static final String SEARCH = "/oxaas/v1/admin/users";

    private static void set(ContextRef context, UserRef user, Map<String, Object> body) {
        String attribute = body.keySet().iterator().next();
        Fixtures.as(context).body(body).put("/oxaas/v1/admin/contexts/{cid}/users/{uid}/" + attribute, context.id(), user.id())
                .then().statusCode(200);
    }

    @Test
    void shouldFindUsersByMsisdnDigitsCustomIdDeliveryStatusAndLogin() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String digits = "49" + (System.nanoTime() % 1_000_000_000L + 1_000_000_000L);
        set(context, user, Map.of("msisdn", "+" + digits.substring(0, 2) + "." + digits.substring(2, 7) + "." + digits.substring(7)));
        String custom = Fixtures.unique("cust");
        set(context, user, Map.of("custom", List.of(custom)));
        String status = Fixtures.unique("ST").toUpperCase();
        set(context, user, Map.of("oxdeliverystatus", status));

        Fixtures.as(context.reseller()).queryParam("search", "+" + digits).queryParam("field", "MSISDN").get(SEARCH)
                .then().statusCode(200)
                .body("uidname", contains(user.name()))
                .body("[0].'context-id'", equalTo((int) context.id()))
                .body("[0].'user-id'", equalTo(user.id()))
                .body("[0].oxdeliverystatus", equalTo(status));
        Fixtures.as(context.reseller()).queryParam("search", custom).queryParam("field", "CUSTOM").get(SEARCH)
                .then().statusCode(200).body("uidname", contains(user.name()));
        Fixtures.as(context.reseller()).queryParam("search", status).queryParam("field", "OXDELIVERYSTATUS").get(SEARCH)
                .then().statusCode(200).body("uidname", contains(user.name()));
        Fixtures.as(context.reseller()).queryParam("search", user.name().toUpperCase()).queryParam("field", "UIDNAME").get(SEARCH)
                .then().statusCode(200).body("uidname", contains(user.name()));
        Fixtures.as(context.reseller()).queryParam("search", custom).get(SEARCH)
                .then().statusCode(200).body("uidname", contains(user.name()));
        Fixtures.as(context.reseller()).queryParam("search", custom.substring(0, custom.length() - 2) + "*").queryParam("field", "CUSTOM").get(SEARCH)
                .then().statusCode(200).body("uidname", contains(user.name()));
        Fixtures.as(context.reseller()).queryParam("search", custom).queryParam("field", "MSISDN").get(SEARCH)
                .then().statusCode(200).body("$", empty());
    }

    @Test
    void shouldNeverReturnAUserOfAnotherReseller() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef child = Fixtures.subReseller(parent);
        ContextRef mine = Fixtures.context(parent);
        ContextRef childs = Fixtures.context(child);
        ContextRef foreign = Fixtures.context();
        String shared = Fixtures.unique("shared");
        UserRef a = Fixtures.user(mine);
        UserRef b = Fixtures.user(childs);
        UserRef c = Fixtures.user(foreign);
        set(mine, a, Map.of("custom", List.of(shared)));
        set(childs, b, Map.of("custom", List.of(shared)));
        set(foreign, c, Map.of("custom", List.of(shared)));
        Fixtures.as(parent).queryParam("search", shared).get(SEARCH)
                .then().statusCode(200).body("uidname", containsInAnyOrder(a.name(), b.name()));
        Fixtures.as(child).queryParam("search", shared).get(SEARCH)
                .then().statusCode(200).body("uidname", contains(b.name()));
        Fixtures.as(foreign.reseller()).queryParam("search", shared).get(SEARCH)
                .then().statusCode(200).body("uidname", contains(c.name()));
        Fixtures.as(parent).queryParam("search", shared).queryParam("limit", 1).get(SEARCH)
                .then().statusCode(200).body("$", hasSize(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"field=NAME&search=x", "field=any2&search=x", "search=", "search=*abc", "search=a*b", "search=*", "limit=0&search=x"})
    void shouldRejectBadSearchesWith400(String query) {
        ResellerRef reseller = Fixtures.reseller();
        Fixtures.as(reseller).get(SEARCH + "?" + query)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void shouldRequireSearch() {
        Fixtures.as(Fixtures.reseller()).get(SEARCH).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }
}
