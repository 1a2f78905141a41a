package io.mailplane.domains;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IDN domains follow UTS #46 non-transitional processing (issue 9, item 7): {@code straße} and
 * {@code strasse}, {@code βόλος} and {@code βόλοσ} are different registrable domains, as in
 * today's DNS and browsers, not one (IDNA2003 folded ß into ss and ς into σ).
 */
@QuarkusTest
class IdnDomainsTest {
    private static final String CONTEXT_DOMAIN = "/oxaas/v1/admin/contexts/{cid}/domains/{domain}";

    @Test
    void shouldKeepSharpSApartFromDoubleSAsTwoDomainsOfTwoContexts() {
        ContextRef first = Fixtures.context();
        ContextRef second = Fixtures.context();
        String base = Fixtures.unique("i");
        Fixtures.as(first.reseller()).put(CONTEXT_DOMAIN, first.id(), base + ".Straße.example")
                .then().statusCode(201).body("domain", equalTo(base + ".xn--strae-oqa.example"));
        Fixtures.as(second.reseller()).put(CONTEXT_DOMAIN, second.id(), base + ".strasse.example")
                .then().statusCode(201).body("domain", equalTo(base + ".strasse.example"));
        assertEquals(first.id(), Db.count("SELECT context_id FROM mail_domains WHERE name = ?", base + ".xn--strae-oqa.example"));
        assertEquals(second.id(), Db.count("SELECT context_id FROM mail_domains WHERE name = ?", base + ".strasse.example"));
        // The punycode form names the same domain as the Unicode form.
        Fixtures.as(first.reseller()).put(CONTEXT_DOMAIN, first.id(), base + ".xn--strae-oqa.example")
                .then().statusCode(200).body("domain", equalTo(base + ".xn--strae-oqa.example"));

        // An address on it stays on it.
        String login = Fixtures.unique("u") + "@" + first.domain();
        Fixtures.as(first).body(Map.of("name", login, "password", Fixtures.secret(), "displayName", "U",
                        "primaryEmail", "info@" + base + ".straße.example"))
                .post("/oxaas/v1/admin/contexts/{cid}/users", first.id())
                .then().statusCode(201).body("primaryEmail", equalTo("info@" + base + ".xn--strae-oqa.example"));
    }

    @Test
    void shouldKeepFinalSigmaApartFromSigma() {
        ContextRef first = Fixtures.context();
        ContextRef second = Fixtures.context();
        String base = Fixtures.unique("g");
        Fixtures.as(first.reseller()).put(CONTEXT_DOMAIN, first.id(), base + ".βόλος.example")
                .then().statusCode(201).body("domain", equalTo(base + ".xn--nxasmm1c.example"));
        Fixtures.as(second.reseller()).put(CONTEXT_DOMAIN, second.id(), base + ".ΒΌΛΟΣ.example")
                .then().statusCode(201).body("domain", equalTo(base + ".xn--nxasmq6b.example"));
    }

    @Test
    void shouldRefuseLabelsThatUts46Refuses() {
        ContextRef context = Fixtures.context();
        String base = Fixtures.unique("z");
        for (String name : new String[] {base + ".a\u200Cb.example", base + ".ab--cd.example", base + ".xn--u-ccb.example",
                base + ".a⒈com.example"}) {
            Fixtures.as(context.reseller()).put(CONTEXT_DOMAIN, context.id(), name)
                    .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        }
    }
}
