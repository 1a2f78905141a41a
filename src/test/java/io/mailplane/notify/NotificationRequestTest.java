package io.mailplane.notify;

import static io.mailplane.testing.Fixtures.secret;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * POST /oxaas/v1/admin/notification/{kind}/{usercontext}: everything decided before a mail is
 * queued — parsing usercontext, who may call, the tenant boundary, users without a mailbox. None
 * of these requests changes anything. (What is queued: {@link NotificationQueuedTest}.)
 */
@QuarkusTest
class NotificationRequestTest {
    static final String NOTIFY = "/oxaas/v1/admin/notification/";
    static final List<String> KINDS = List.of("welcome", "spamdisabled", "overquota");

    /** The brand's tenant credentials, set through the API: a fresh request with them on each call. */
    static Supplier<RequestSpecification> tenantOf(ResellerRef brand) {
        String login = unique("tenant");
        String password = secret();
        Fixtures.as(brand).body(Map.of("login", login, "password", password))
                .put("/oxaas/v1/admin/resellers/{id}/tenant", brand.id()).then().statusCode(204);
        return () -> Fixtures.as(login, password);
    }

    static io.restassured.response.Response send(RequestSpecification caller, String kind, String userContext) {
        if (kind.equals("overquota")) {
            caller.body(Map.of("quota_threshold", 1000));
        }
        return caller.post(NOTIFY + kind + "/" + userContext);
    }

    @Test
    void aMalformedUsercontextIsABadRequest() {
        ContextRef context = Fixtures.context();
        Snapshot before = Snapshot.take();
        for (String bad : List.of("3", "3@", "@" + context.id(), "x@" + context.id(), "-3@" + context.id(),
                "99999999999@" + context.id(), "3@" + context.id() + "@x", "3@bad%20name")) {
            for (String kind : KINDS) {
                send(Fixtures.as(context.reseller()), kind, bad).then().statusCode(400)
                        .contentType("application/problem+json")
                        .body("code", equalTo("VALIDATION_FAILED")).body("errors[0].field", equalTo("usercontext"));
            }
        }
        before.assertUnchanged("a malformed usercontext");
    }

    @Test
    void aUserWithoutAPrimaryAddressGetsAConflictAndNothingIsQueued() {
        ContextRef context = Fixtures.context();
        Supplier<RequestSpecification> tenant = tenantOf(context.reseller());
        Snapshot before = Snapshot.take();
        // user 2 is the context admin, who has no mailbox (OX)
        for (String ref : List.of(context.id() + "", context.name())) {
            for (String kind : KINDS) {
                send(tenant.get(), kind, "2@" + ref).then().statusCode(409)
                        .contentType("application/problem+json")
                        .body("code", equalTo("NO_PRIMARY_ADDRESS"))
                        .body("detail", equalTo("2@" + ref + " has no primary mail address"));
            }
        }
        before.assertUnchanged("a notification to a user without a primary address");
    }

    @Test
    void theBrandsTenantCredentialsAreAdmitted() {
        ResellerRef top = Fixtures.reseller();
        ContextRef context = Fixtures.context(Fixtures.subReseller(top));
        // the brand's and its parent brand's: the answer is about the user (no mailbox; no such user), not the caller
        for (Supplier<RequestSpecification> tenant : List.of(tenantOf(context.reseller()), tenantOf(top))) {
            Snapshot own = Snapshot.take();
            send(tenant.get(), "welcome", "2@" + context.id()).then().statusCode(409).body("code", equalTo("NO_PRIMARY_ADDRESS"));
            send(tenant.get(), "overquota", "999@" + context.name()).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
            own.assertUnchanged("refused notifications");
        }
    }

    @Test
    void aUserOutsideTheCallersBrandTreeDoesNotExist() {
        ResellerRef top = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(top);
        ContextRef context = Fixtures.context(top);
        UserRef user = Fixtures.user(context);
        ContextRef elsewhere = Fixtures.context();
        Supplier<RequestSpecification> otherTenant = tenantOf(elsewhere.reseller());
        Supplier<RequestSpecification> subTenant = tenantOf(sub);
        Snapshot before = Snapshot.take();
        for (Supplier<RequestSpecification> stranger : List.<Supplier<RequestSpecification>>of(() -> Fixtures.as(elsewhere.reseller()),
                otherTenant, () -> Fixtures.as(sub), subTenant)) {
            for (String ref : List.of(context.id() + "", context.name())) {
                send(stranger.get(), "welcome", user.id() + "@" + ref).then().statusCode(404)
                        .contentType("application/problem+json").body("code", equalTo("CONTEXT_NOT_FOUND"));
            }
        }
        // a context that does not exist looks the same
        send(Fixtures.as(top), "welcome", "3@999999999").then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        send(Fixtures.as(top), "welcome", "3@no-such-ctx-xyz").then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        // a user that does not exist in a visible context
        send(Fixtures.as(top), "spamdisabled", "999@" + context.id()).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        before.assertUnchanged("notifications to users outside the caller's tree");
    }

    @Test
    void aBadQuotaThresholdIsABadRequest() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Snapshot before = Snapshot.take();
        for (Object bad : List.of(-1, "many", Map.of("x", 1))) {
            Fixtures.as(context.reseller()).body(Map.of("quota_threshold", bad))
                    .post(NOTIFY + "overquota/" + user.id() + "@" + context.id()).then().statusCode(400);
        }
        Fixtures.as(context.reseller()).body(Map.of("quota_threshold", 1000, "color", "red"))
                .post(NOTIFY + "overquota/" + user.id() + "@" + context.id()).then().statusCode(400).body("code", equalTo("UNKNOWN_FIELD"));
        before.assertUnchanged("a bad overquota body");
    }
}
