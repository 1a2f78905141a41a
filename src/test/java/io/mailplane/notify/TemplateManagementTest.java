package io.mailplane.notify;

import static io.mailplane.testing.Fixtures.asMaster;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET|PUT|DELETE /oxaas/v1/admin/notification/templates/{kind}/{locale} and the brand's default locale. */
@QuarkusTest
class TemplateManagementTest {
    static final String TEMPLATES = "/oxaas/v1/admin/notification/templates";
    static final String TEMPLATE = TEMPLATES + "/{kind}/{locale}";

    static Map<String, Object> template(String subject, String text, String html) {
        Map<String, Object> body = new HashMap<>();
        body.put("subject", subject);
        body.put("text", text);
        if (html != null) {
            body.put("html", html);
        }
        return body;
    }

    @Test
    void aBrandWithoutTemplatesSeesTheBuiltInOnes() {
        ResellerRef brand = Fixtures.reseller();
        Fixtures.as(brand).get(TEMPLATE, "welcome", "de").then().statusCode(200)
                .header("ETag", nullValue())
                .body("kind", equalTo("welcome")).body("locale", equalTo("de")).body("source", equalTo("builtin"))
                .body("subject", containsString("Willkommen")).body("html", containsString("<p>"));
        // a locale without built-in templates falls back to its language, then to en
        Fixtures.as(brand).get(TEMPLATE, "overquota", "de-CH").then().statusCode(200)
                .body("locale", equalTo("de")).body("source", equalTo("builtin"));
        Fixtures.as(brand).get(TEMPLATE, "spamdisabled", "fr").then().statusCode(200)
                .body("locale", equalTo("en")).body("source", equalTo("builtin"));
    }

    @Test
    void aResellerStoresReadsReplacesAndRemovesItsBrandsTemplate() {
        ResellerRef brand = Fixtures.reseller();
        String etag = Fixtures.as(brand).body(template("Hi {display_name}", "Welcome to {brand_name}", null))
                .put(TEMPLATE, "welcome", "de-ch").then().statusCode(200)
                .body("locale", equalTo("de-CH")).body("source", equalTo("brand")).body("html", nullValue())
                .extract().header("ETag");
        Fixtures.as(brand).get(TEMPLATE, "welcome", "de-CH").then().statusCode(200)
                .header("ETag", equalTo(etag)).body("subject", equalTo("Hi {display_name}"));
        // a stale If-Match changes nothing
        Snapshot before = Snapshot.take();
        Fixtures.as(brand).header("If-Match", "\"99\"").body(template("x", "y", null)).put(TEMPLATE, "welcome", "de-CH")
                .then().statusCode(412).body("code", equalTo("PRECONDITION_FAILED"));
        Fixtures.as(brand).header("If-Match", "\"99\"").delete(TEMPLATE, "welcome", "de-CH").then().statusCode(412);
        before.assertUnchanged("a write with a stale If-Match");
        String next = Fixtures.as(brand).header("If-Match", etag).body(template("Hallo", "Text", "<p>Text</p>"))
                .put(TEMPLATE, "welcome", "de-CH").then().statusCode(200).body("html", equalTo("<p>Text</p>"))
                .extract().header("ETag");
        Fixtures.as(brand).header("If-Match", next).delete(TEMPLATE, "welcome", "de-CH").then().statusCode(204);
        Fixtures.as(brand).get(TEMPLATE, "welcome", "de-CH").then().statusCode(200).body("source", equalTo("builtin"));
        // removing what is not there is fine
        Fixtures.as(brand).delete(TEMPLATE, "welcome", "de-CH").then().statusCode(204);
        assertEquals(3, Db.count("SELECT COUNT(*) FROM audit_log WHERE reseller_id = ? AND action LIKE 'notification.template.%'",
                brand.id()), "two stores and one removal are audited");
    }

    @Test
    void aSubBrandInheritsItsParentsTemplateUntilItHasItsOwn() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        Fixtures.as(parent).body(template("Parent", "parent text", null)).put(TEMPLATE, "welcome", "en").then().statusCode(200);
        Fixtures.as(sub).get(TEMPLATE, "welcome", "en").then().statusCode(200)
                .body("source", equalTo("inherited")).body("subject", equalTo("Parent")).header("ETag", nullValue());
        Fixtures.as(sub).body(template("Sub", "sub text", null)).put(TEMPLATE, "welcome", "en").then().statusCode(200);
        Fixtures.as(sub).get(TEMPLATE, "welcome", "en").then().statusCode(200).body("source", equalTo("brand")).body("subject", equalTo("Sub"));
        Fixtures.as(parent).get(TEMPLATE, "welcome", "en").then().statusCode(200).body("subject", equalTo("Parent"));
    }

    @Test
    void aTemplateThatDoesNotParseOrUsesAnUnknownVariableIsRefusedAndNothingChanges() {
        ResellerRef brand = Fixtures.reseller();
        Fixtures.as(brand).body(template("Old", "old text", null)).put(TEMPLATE, "overquota", "en").then().statusCode(200);
        Snapshot before = Snapshot.take();
        for (Map<String, Object> bad : List.of(
                template("Hi {display_name", "text", null),
                template("Hi", "{#if quota}unterminated", null),
                template("Hi", "{password}", null),
                template("Hi", "ok", "<p>{inject:mailplaneConfig.crypto}</p>"),
                template("Hi", "{#include welcome /}", null),
                template("Hi", "{#if quota_threshold > 5}x{/if}", null))) {
            Fixtures.as(brand).body(bad).put(TEMPLATE, "overquota", "en").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
        }
        before.assertUnchanged("a refused template");
        Fixtures.as(brand).get(TEMPLATE, "overquota", "en").then().body("subject", equalTo("Old"));
    }

    @Test
    void anUnknownKindOrLocaleIsABadRequest() {
        ResellerRef brand = Fixtures.reseller();
        Fixtures.as(brand).get(TEMPLATE, "goodbye", "en").then().statusCode(400).body("errors[0].field", equalTo("kind"));
        for (String locale : List.of("english", "e1", "de_DE", "de-CH-x-private")) {
            Fixtures.as(brand).get(TEMPLATE, "welcome", locale).then().statusCode(400).body("errors[0].field", equalTo("locale"));
        }
    }

    @Test
    void theMasterAdminHasNoBrandAndAContextAdminMayNotManageTemplates() {
        var context = Fixtures.context();
        asMaster().get(TEMPLATE, "welcome", "en").then().statusCode(403);
        Fixtures.asQualified(context).get(TEMPLATE, "welcome", "en").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void theBrandsDefaultLocaleIsItsOwnElseItsParentsElseEnglish() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        String path = TEMPLATES + "/default-locale";
        Fixtures.as(sub).get(path).then().statusCode(200).body("default_locale", equalTo("en")).body("source", equalTo("builtin"));
        Fixtures.as(parent).body(Map.of("default_locale", "de")).put(path).then().statusCode(200).body("default_locale", equalTo("de"));
        Fixtures.as(sub).get(path).then().statusCode(200).body("default_locale", equalTo("de")).body("source", equalTo("inherited"));
        Snapshot.assertUnchangedBy("a bad default locale", () ->
                Fixtures.as(sub).body(Map.of("default_locale", "deutsch")).put(path).then().statusCode(400)
                        .body("errors[0].field", equalTo("default_locale")));
    }
}
