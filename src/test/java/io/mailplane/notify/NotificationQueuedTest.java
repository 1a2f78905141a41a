package io.mailplane.notify;

import io.mailplane.outbox.Outbox;

import static io.mailplane.notify.NotificationRequestTest.NOTIFY;
import static io.mailplane.notify.NotificationRequestTest.tenantOf;
import static io.mailplane.notify.TemplateManagementTest.TEMPLATE;
import static io.mailplane.notify.TemplateManagementTest.template;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Notifications that are queued: 200 {"mail": the rendered text} and one new row in the outbox
 * ({@code notification_outbox}), per kind, brand and locale. These need {@link Outbox#enqueue}
 * (the outbox half of issue 12); arrival at the SMTP relay is the outbox's tests' business.
 */
@QuarkusTest
class NotificationQueuedTest {

    /** Sends and checks that exactly one mail was queued. */
    private static ValidatableResponse queued(Supplier<ValidatableResponse> send) {
        long before = Db.count("SELECT COUNT(*) FROM notification_outbox");
        ValidatableResponse answer = send.get();
        assertEquals(before + 1, Db.count("SELECT COUNT(*) FROM notification_outbox"), "one mail queued");
        return answer;
    }

    private static UserRef userOf(ResellerRef brand) {
        return Fixtures.user(Fixtures.context(brand));
    }

    private static String reference(UserRef user) {
        return user.id() + "@" + user.context().id();
    }

    @Test
    void eachKindIsRenderedFromTheBuiltInEnglishTemplateByDefaultAndQueued() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = userOf(brand);
        var tenant = tenantOf(brand);
        String who = "Hello User " + user.name().substring(0, user.name().indexOf('@'));
        queued(() -> tenant.get().post(NOTIFY + "welcome/" + reference(user)).then().statusCode(200)
                .contentType("application/json")
                .body("mail", allOf(containsString(who), containsString("welcome to Reseller " + brand.name()),
                        containsString("Address: " + user.email()))));
        queued(() -> tenant.get().post(NOTIFY + "spamdisabled/" + reference(user)).then().statusCode(200)
                .body("mail", allOf(containsString(who), containsString("disabled sending mail from " + user.email()))));
        queued(() -> tenant.get().body(Map.of("quota_threshold", 1000)).post(NOTIFY + "overquota/" + reference(user))
                .then().statusCode(200)
                .body("mail", allOf(containsString(who), containsString("storage threshold of 1000 MB"))));
    }

    @Test
    void theUserIsNamedByContextNameToo() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = userOf(brand);
        queued(() -> Fixtures.as(brand).post(NOTIFY + "welcome/" + user.id() + "@" + user.context().name())
                .then().statusCode(200).body("mail", containsString(user.email())));
    }

    @Test
    void mailsAreInTheBrandsDefaultLocaleFallingBackToItsLanguage() {
        ResellerRef brand = Fixtures.reseller();
        Fixtures.as(brand).body(Map.of("default_locale", "de-CH")).put("/oxaas/v1/admin/notification/templates/default-locale")
                .then().statusCode(200);
        UserRef user = userOf(Fixtures.subReseller(brand)); // the sub-brand inherits the locale
        queued(() -> tenantOf(brand).get().post(NOTIFY + "welcome/" + reference(user)).then().statusCode(200)
                .body("mail", containsString("Ihr Postfach ist eingerichtet")));
        queued(() -> Fixtures.as(brand).body(Map.of("quota_threshold", 512)).post(NOTIFY + "overquota/" + reference(user))
                .then().statusCode(200).body("mail", containsString("Speichergrenze von 512 MB")));
    }

    @Test
    void aBrandsOwnTemplateOverridesTheBuiltInOneForItsTreeOnly() {
        ResellerRef brand = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(brand);
        ResellerRef neighbour = Fixtures.reseller();
        Fixtures.as(brand).body(template("Welcome, {display_name}", "Dear {display_name} ({login}), {brand_name} says hi."
                        + "{#if quota} You have {quota} MB.{/if}", "<p>Dear {display_name}</p>"))
                .put(TEMPLATE, "welcome", "en").then().statusCode(200);
        UserRef user = userOf(sub);
        queued(() -> Fixtures.as(sub).post(NOTIFY + "welcome/" + reference(user)).then().statusCode(200)
                .body("mail", equalTo("Dear User " + user.name().substring(0, user.name().indexOf('@')) + " (" + user.name()
                        + "), Reseller " + sub.name() + " says hi.")));
        UserRef other = userOf(neighbour);
        queued(() -> Fixtures.as(neighbour).post(NOTIFY + "welcome/" + reference(other)).then().statusCode(200)
                .body("mail", containsString("Your mailbox is ready")));
    }

    @Test
    void aTemplateInTheUsersLocaleWinsOverTheBrandsEnglishOne() {
        ResellerRef brand = Fixtures.reseller();
        Fixtures.as(brand).body(template("EN", "english {display_name}", null)).put(TEMPLATE, "spamdisabled", "en").then().statusCode(200);
        Fixtures.as(brand).body(Map.of("default_locale", "de")).put("/oxaas/v1/admin/notification/templates/default-locale")
                .then().statusCode(200);
        UserRef user = userOf(brand);
        // no German template of the brand: its English one comes before the built-in German one
        queued(() -> Fixtures.as(brand).post(NOTIFY + "spamdisabled/" + reference(user)).then().statusCode(200)
                .body("mail", containsString("english User")));
        Fixtures.as(brand).body(template("DE", "deutsch {display_name}", null)).put(TEMPLATE, "spamdisabled", "de").then().statusCode(200);
        queued(() -> Fixtures.as(brand).post(NOTIFY + "spamdisabled/" + reference(user)).then().statusCode(200)
                .body("mail", containsString("deutsch User")));
    }
}
