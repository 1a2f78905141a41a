package io.mailplane.forwards;

import static io.mailplane.testing.Fixtures.secret;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OX Cloud-Plugins "Forwards": forwarding aliases of a context, with OX's shapes and statuses,
 * the rules an alias obeys, and who may call. Every rejected request must leave the database
 * exactly as it found it.
 */
@QuarkusTest
class ForwardsTest {
    private static final String ALL = "/oxaas/v1/admin/forwards/{cid}";
    private static final String ONE = ALL + "/{alias}";
    private static final String RECIPIENT = ONE + "/{recipient}";
    private static final String AUDIT = "/oxaas/v1/admin/audit?limit=200";
    private static final String USERS = "/oxaas/v1/admin/contexts/{cid}/users";
    private static final String CONTEXT_DOMAIN = "/oxaas/v1/admin/contexts/{cid}/domains/{domain}";
    private static final String SHARED_DOMAIN = "/oxaas/v1/admin/sharedmaildomains/{domain}";
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- helpers ------------------------------------------------------------------------

    private static String alias(ContextRef context) {
        return unique("fw") + "@" + context.domain();
    }

    private static String recipient() {
        return unique("r") + "@dest.example";
    }

    /** The context's forwards, row by row, as the database holds them. */
    private static String forwardsOf(ContextRef context) {
        return Db.string("SELECT CONCAT('forwards=', (SELECT COUNT(*) FROM forwards WHERE context_id = ?),"
                + " ';recipients=', (SELECT COUNT(*) FROM forward_recipients r JOIN forwards f ON f.id = r.forward_id WHERE f.context_id = ?),"
                + " ';rows=', (SELECT COALESCE(GROUP_CONCAT(CONCAT(f.alias, '>', COALESCE(r.recipient, '-'))"
                + " ORDER BY f.alias, r.recipient SEPARATOR ','), '') FROM forwards f"
                + " LEFT JOIN forward_recipients r ON r.forward_id = f.id WHERE f.context_id = ?))",
                context.id(), context.id(), context.id());
    }

    /**
     * Sends the call and checks that it was refused with {@code status} and problem {@code code},
     * and that the database is still as {@code before} found it.
     */
    private static Response assertRefused(Snapshot before, String what, Supplier<Response> call, int status, String code) {
        Response response = call.get();
        assertEquals(status, response.statusCode(), what + " → " + response.asString());
        assertEquals(code, response.jsonPath().getString("code"), what + " → " + response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), what + " content type " + response.contentType());
        before.assertUnchanged(what + " changed the database");
        return response;
    }

    private static Map<String, List<String>> listing(RequestSpecification as, Object cid, String query) {
        String body = as.get(ALL + query, cid).then().statusCode(200).contentType("application/json").extract().asString();
        try {
            return JSON.readValue(body, new TypeReference<LinkedHashMap<String, List<String>>>() { });
        } catch (Exception e) {
            throw new AssertionError("not an object of lists: " + body, e);
        }
    }

    private static void put(ContextRef context, String alias, Object body, int status) {
        Fixtures.as(context).body(body).put(ONE, context.id(), alias).then().statusCode(status);
    }

    private static void sharedDomain(ResellerRef reseller, String domain) {
        Fixtures.as(reseller).post(SHARED_DOMAIN, domain).then().statusCode(200).body("domain", equalTo(domain));
    }

    private static UserRef userWith(ContextRef context, String primary, List<String> aliases) {
        String password = secret();
        int id = Fixtures.as(context).body(Map.of("name", primary, "password", password, "displayName", "User",
                        "primaryEmail", primary, "aliases", aliases))
                .post(USERS, context.id()).then().statusCode(201).extract().jsonPath().getInt("id");
        return new UserRef(id, primary, password, primary, context);
    }

    // ---- happy paths --------------------------------------------------------------------

    @Test
    void shouldCreateReadReplaceAndDeleteAnAliasWithOxShapes() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String a = "a" + recipient();
        String b = "b" + recipient();
        String c = "c" + recipient();
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("FORWARD_NOT_FOUND"));
        Fixtures.as(context).head(ONE, context.id(), alias).then().statusCode(404);

        Fixtures.as(context).body(List.of(b, a)).put(ONE, context.id(), alias)
                .then().statusCode(201).contentType("application/json").body("$", contains(a, b));
        Fixtures.as(context).get(ONE, context.id(), alias)
                .then().statusCode(200).contentType("application/json").body("$", contains(a, b));
        Fixtures.as(context).head(ONE, context.id(), alias).then().statusCode(200);
        assertEquals("forwards=1;recipients=2;rows=" + alias + ">" + a + "," + alias + ">" + b, forwardsOf(context));

        Fixtures.as(context).body(Map.of("recipient", c)).put(ONE, context.id(), alias)
                .then().statusCode(200).contentType("application/json").body("$", contains(c));
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", contains(c));

        Fixtures.as(context).get(RECIPIENT, context.id(), alias, c)
                .then().statusCode(200).contentType("application/json")
                .body("$", aMapWithSize(1)).body("recipient", equalTo(c));
        Fixtures.as(context).head(RECIPIENT, context.id(), alias, c).then().statusCode(200);
        Fixtures.as(context).get(RECIPIENT, context.id(), alias, a)
                .then().statusCode(404).body("code", equalTo("RECIPIENT_NOT_FOUND"));
        Fixtures.as(context).head(RECIPIENT, context.id(), alias, a).then().statusCode(404);
        Fixtures.as(context).get(RECIPIENT, context.id(), alias(context), c)
                .then().statusCode(404).body("code", equalTo("RECIPIENT_NOT_FOUND"));

        Fixtures.as(context).delete(ONE, context.id(), alias).then().statusCode(204);
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(404).body("code", equalTo("FORWARD_NOT_FOUND"));
        Fixtures.as(context).head(ONE, context.id(), alias).then().statusCode(404);
        Fixtures.as(context).delete(ONE, context.id(), alias).then().statusCode(404).body("code", equalTo("FORWARD_NOT_FOUND"));
        assertEquals("forwards=0;recipients=0;rows=", forwardsOf(context));
    }

    @Test
    void shouldAddRecipientsCreatingTheAliasWhenAbsentAndAnswer204WhenNothingChanged() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String a = "a" + recipient();
        String b = "b" + recipient();
        String c = "c" + recipient();
        Fixtures.as(context).body(Map.of("recipient", List.of(b, a))).post(ONE, context.id(), alias)
                .then().statusCode(201).contentType("application/json").body("$", contains(a, b));
        Fixtures.as(context).body(List.of(c, b)).post(ONE, context.id(), alias)
                .then().statusCode(201).body("$", contains(a, b, c));
        Snapshot before = Snapshot.take();
        Response nothing = Fixtures.as(context).body(Map.of("recipient", a.toUpperCase(Locale.ROOT))).post(ONE, context.id(), alias);
        assertEquals(204, nothing.statusCode(), nothing.asString());
        assertEquals("", nothing.asString());
        Response again = Fixtures.as(context).body(List.of(a, b, c)).post(ONE, context.id(), alias);
        assertEquals(204, again.statusCode(), again.asString());
        assertEquals("", again.asString());
        before.assertUnchanged("a POST that added nothing changed the database (or the audit log)");
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", contains(a, b, c));
    }

    @Test
    void shouldListAllAliasesSortedWithTheirSortedRecipientsAndPageThem() {
        ContextRef context = Fixtures.context();
        assertEquals(Map.of(), listing(Fixtures.as(context), context.id(), ""));
        String tag = unique("");
        String first = "a" + tag + "@" + context.domain();
        String second = "b" + tag + "@" + context.domain();
        String third = "c" + tag + "@" + context.domain();
        put(context, third, List.of("z@dest.example"), 201);
        put(context, first, List.of("y@dest.example", "x@dest.example"), 201);
        put(context, second, Map.of("recipient", "w@dest.example"), 201);

        Map<String, List<String>> all = listing(Fixtures.as(context), context.id(), "");
        assertEquals(List.of(first, second, third), List.copyOf(all.keySet()));
        assertEquals(List.of("x@dest.example", "y@dest.example"), all.get(first));
        assertEquals(List.of("w@dest.example"), all.get(second));
        assertEquals(List.of("z@dest.example"), all.get(third));

        assertEquals(List.of(first, second), List.copyOf(listing(Fixtures.as(context), context.id(), "?limit=2").keySet()));
        Map<String, List<String>> middle = listing(Fixtures.as(context), context.id(), "?limit=1&offset=1");
        assertEquals(Map.of(second, List.of("w@dest.example")), middle);
        assertEquals(List.of(third), List.copyOf(listing(Fixtures.as(context), context.id(), "?offset=2").keySet()));
        assertEquals(Map.of(), listing(Fixtures.as(context), context.id(), "?offset=3"));
        // another context's aliases never show
        ContextRef other = Fixtures.context(context.reseller());
        put(other, alias(other), List.of("v@dest.example"), 201);
        assertEquals(3, listing(Fixtures.as(context), context.id(), "").size());
    }

    /**
     * The listing reads recipients in the database's key order; it must be the order the single
     * alias answers with (SQL ORDER BY, the column's collation), which differs from Java's order
     * for '_', '-', '.', digits and case.
     */
    @Test
    void theListingOrdersEachAliasesRecipientsAsTheAliasItselfAnswers() {
        ContextRef context = Fixtures.context();
        String tag = unique("");
        String first = "m" + tag + "@" + context.domain();
        String second = "n" + tag + "@" + context.domain();
        put(context, second, List.of("z0" + tag + "@dest.example", "z_" + tag + "@dest.example", "Z-" + tag + "@dest.example"), 201);
        put(context, first, List.of("z." + tag + "@dest.example", "za" + tag + "@dest.example", "Z-" + tag + "@dest.example",
                "z_" + tag + "@dest.example", "z0" + tag + "@dest.example"), 201);

        Map<String, List<String>> all = listing(Fixtures.as(context), context.id(), "");
        assertEquals(List.of(first, second), List.copyOf(all.keySet()));
        for (String alias : List.of(first, second)) {
            List<String> alone = Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).extract().jsonPath().getList("$", String.class);
            assertEquals(alone, all.get(alias), alias);
            assertEquals(alone, listing(Fixtures.as(context), context.id(), "?limit=1&offset=" + (alias.equals(first) ? 0 : 1)).get(alias), alias);
        }
        assertTrue(all.get(first).indexOf("z_" + tag + "@dest.example") < all.get(first).indexOf("z0" + tag + "@dest.example"),
                "collation order, not Java's: " + all.get(first));
    }

    private static ContextRef paging;

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=-1", "offset=-1", "limit=1000001", "limit=abc", "offset=x"})
    void shouldRejectBadPagingWith400(String query) {
        if (paging == null) {
            paging = Fixtures.context();
        }
        Response r = Fixtures.as(paging).get(ALL + "?" + query, paging.id());
        assertEquals(400, r.statusCode(), "GET ?" + query + " → " + r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(List.of("VALIDATION_FAILED", "BAD_REQUEST", "INVALID_TYPE").contains(r.jsonPath().getString("code")), r.asString());
    }

    @Test
    void shouldRemoveRecipientsOneByOneAndTheAliasWithItsLast() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String a = "a" + recipient();
        String b = "b" + recipient();
        put(context, alias, List.of(a, b), 201);

        Fixtures.as(context).delete(RECIPIENT, context.id(), alias, a.toUpperCase(Locale.ROOT)).then().statusCode(204);
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", contains(b));
        Snapshot before = Snapshot.take();
        assertRefused(before, "DELETE removed recipient again", () -> Fixtures.as(context).delete(RECIPIENT, context.id(), alias, a), 404, "RECIPIENT_NOT_FOUND");
        assertRefused(before, "DELETE recipient of a missing alias", () -> Fixtures.as(context).delete(RECIPIENT, context.id(), alias(context), b), 404, "RECIPIENT_NOT_FOUND");

        Fixtures.as(context).delete(RECIPIENT, context.id(), alias, b).then().statusCode(204);
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(404).body("code", equalTo("FORWARD_NOT_FOUND"));
        assertEquals("forwards=0;recipients=0;rows=", forwardsOf(context));
        Fixtures.as(context).delete(RECIPIENT, context.id(), alias, b).then().statusCode(404).body("code", equalTo("RECIPIENT_NOT_FOUND"));
        assertEquals(Map.of(), listing(Fixtures.as(context), context.id(), ""));
    }

    @Test
    void shouldDeleteAllAliasesOfTheContextAndNoOtherContexts() {
        ContextRef context = Fixtures.context();
        ContextRef neighbour = Fixtures.context(context.reseller());
        for (int i = 0; i < 3; i++) {
            put(context, alias(context), List.of(recipient(), recipient()), 201);
        }
        String kept = alias(neighbour);
        put(neighbour, kept, List.of("keep@dest.example"), 201);
        String neighbourBefore = forwardsOf(neighbour);

        Response response = Fixtures.as(context).delete(ALL, context.id());
        assertEquals(204, response.statusCode(), response.asString());
        assertEquals("", response.asString());
        assertEquals(Map.of(), listing(Fixtures.as(context), context.id(), ""));
        assertEquals("forwards=0;recipients=0;rows=", forwardsOf(context));
        assertEquals(neighbourBefore, forwardsOf(neighbour));
        assertEquals(Map.of(kept, List.of("keep@dest.example")), listing(Fixtures.as(neighbour), neighbour.id(), ""));
        // nothing left: still 204
        Fixtures.as(context).delete(ALL, context.id()).then().statusCode(204);
        // and the context can start over
        put(context, alias(context), List.of(recipient()), 201);
    }

    // ---- body forms ---------------------------------------------------------------------

    static Stream<Arguments> bodyForms() {
        return Stream.of(
                Arguments.of("PUT", "list"), Arguments.of("PUT", "single"), Arguments.of("PUT", "wrapped list"),
                Arguments.of("POST", "list"), Arguments.of("POST", "single"), Arguments.of("POST", "wrapped list"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("bodyForms")
    void shouldAcceptTheThreeBodyForms(String method, String form) {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String a = "a" + recipient();
        String b = "b" + recipient();
        Object body;
        List<String> expected;
        switch (form) {
            case "list" -> {
                body = List.of(b, a);
                expected = List.of(a, b);
            }
            case "single" -> {
                body = Map.of("recipient", a);
                expected = List.of(a);
            }
            default -> {
                body = Map.of("recipient", List.of(b, a));
                expected = List.of(a, b);
            }
        }
        Fixtures.as(context).body(body).request(method, ONE, context.id(), alias)
                .then().statusCode(201).body("$", equalTo(expected));
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", equalTo(expected));
        // the same body on the existing alias
        Fixtures.as(context).body(body).request(method, ONE, context.id(), alias)
                .then().statusCode(method.equals("PUT") ? 200 : 204);
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", equalTo(expected));
    }

    static Stream<Arguments> badBodies() {
        List<String> bodies = List.of(
                "5",
                "true",
                "null",
                "\"x@dest.example\"",
                "{}",
                "{\"other\":\"x@dest.example\"}",
                "{\"recipient\":\"x@dest.example\",\"other\":1}",
                "{\"recipient\":5}",
                "{\"recipient\":null}",
                "{\"recipient\":true}",
                "{\"recipient\":{\"recipient\":\"x@dest.example\"}}",
                "{\"recipient\":[[\"x@dest.example\"]]}",
                "{\"recipient\":[]}",
                "{\"recipient\":[\"x@dest.example\", 5]}",
                "[1]",
                "[null]",
                "[]",
                "[\"x@dest.example\", null]",
                "[{\"recipient\":\"x@dest.example\"}]",
                "[\"not-an-address\"]",
                "[\"x@dest.example\", \"also bad@dest.example\"]",
                "{\"recipient\":\"@dest.example\"}",
                "{\"recipient\":\"x@\"}",
                "{\"recipient\":\"x@dest\"}",
                "{\"recipient\":\"x@-dest-.example\"}",
                "{\"recipient\":\"\"}",
                "{\"recipient\":\"" + "l".repeat(65) + "@dest.example\"}",
                "[\"x@dest.example\"",
                "");
        return Stream.of("PUT", "POST").flatMap(m -> bodies.stream().map(b -> Arguments.of(m, b)));
    }

    private static ContextRef bodies;
    private static String bodiesAlias;
    private static Snapshot bodiesState;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badBodies")
    void shouldRejectAnyOtherBodyWith400AndChangeNothing(String method, String body) {
        if (bodies == null) {
            bodies = Fixtures.context();
            bodiesAlias = alias(bodies);
            put(bodies, bodiesAlias, List.of("kept@dest.example"), 201);
        }
        if (bodiesState == null) {
            bodiesState = Snapshot.take();
        }
        // a replacement of an existing alias, an addition that would create one
        String target = method.equals("PUT") ? bodiesAlias : alias(bodies);
        Response r = Fixtures.as(bodies).body(body).request(method, ONE, bodies.id(), target);
        Snapshot after = Snapshot.take();
        if (!after.equals(bodiesState)) {
            // put things back for the next body, then fail
            Fixtures.as(bodies).delete(ALL, bodies.id()).then().statusCode(204);
            put(bodies, bodiesAlias, List.of("kept@dest.example"), 201);
            bodiesState = null;
        }
        assertEquals(400, r.statusCode(), method + " " + body + " to " + target + " → " + r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(List.of("VALIDATION_FAILED", "INVALID_TYPE", "UNKNOWN_FIELD", "MALFORMED_JSON", "BAD_REQUEST")
                .contains(r.jsonPath().getString("code")), r.asString());
        assertEquals(bodiesState == null ? "unchanged" : after, bodiesState == null ? "changed" : bodiesState,
                method + " " + body + " changed the database");
    }

    // ---- rules --------------------------------------------------------------------------

    @Test
    void shouldRejectAnAliasOnADomainTheContextCannotUseWith400() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef child = Fixtures.subReseller(parent);
        ContextRef context = Fixtures.context(child);
        ContextRef sibling = Fixtures.context(child);
        ContextRef parentsContext = Fixtures.context(parent);
        ContextRef stranger = Fixtures.context();
        String childShared = unique("childshared") + ".example";
        sharedDomain(child, childShared);
        String foreignShared = unique("foreignshared") + ".example";
        sharedDomain(stranger.reseller(), foreignShared);

        Map<String, ContextRef> refused = new LinkedHashMap<>();
        refused.put(unique("x") + "@" + unique("unclaimed") + ".example", context);
        refused.put(unique("x") + "@" + sibling.domain(), context);
        refused.put(unique("x") + "@" + stranger.domain(), context);
        refused.put(unique("x") + "@" + foreignShared, context);
        refused.put(unique("x") + "@sub." + context.domain(), context);
        refused.put(unique("x") + "@" + childShared, parentsContext); // a sub-brand's shared domain is not the parent's
        Snapshot before = Snapshot.take();
        for (Map.Entry<String, ContextRef> e : refused.entrySet()) {
            ContextRef c = e.getValue();
            for (String method : List.of("PUT", "POST")) {
                Response r = assertRefused(before, method + " " + e.getKey() + " in " + c.name(),
                        () -> Fixtures.as(c).body(List.of(recipient())).request(method, ONE, c.id(), e.getKey()), 400, "VALIDATION_FAILED");
                assertTrue(r.jsonPath().getList("errors.field").contains("alias"), r.asString());
            }
        }
    }

    @Test
    void shouldAcceptAliasesOnTheContextsOwnDomainsAndTheSharedDomainsOfItsBrandAndBrandsAbove() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef child = Fixtures.subReseller(parent);
        ContextRef context = Fixtures.context(child);
        String extra = unique("extra") + ".example";
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), extra).then().statusCode(201);
        String parentShared = unique("parentshared") + ".example";
        sharedDomain(parent, parentShared);
        String childShared = unique("childshared") + ".example";
        sharedDomain(child, childShared);
        for (String domain : List.of(context.domain(), extra, parentShared, childShared)) {
            String alias = unique("x") + "@" + domain;
            put(context, alias, List.of(recipient()), 201);
            Fixtures.as(context).body(List.of(recipient())).post(ONE, context.id(), unique("y") + "@" + domain).then().statusCode(201);
            Fixtures.as(context).head(ONE, context.id(), alias).then().statusCode(200);
        }
        assertEquals(8, listing(Fixtures.as(context), context.id(), "").size());
    }

    @Test
    void shouldRejectAnAliasThatIsAUsersAddressWith409AndChangeNothing() {
        ContextRef context = Fixtures.context();
        String primary = unique("u") + "@" + context.domain();
        String userAlias = unique("ua") + "@" + context.domain();
        userWith(context, primary, List.of(userAlias));
        // a user of another context of the brand on a shared domain
        String shared = unique("shared") + ".example";
        sharedDomain(context.reseller(), shared);
        ContextRef neighbour = Fixtures.context(context.reseller());
        String sharedPrimary = unique("su") + "@" + shared;
        userWith(neighbour, sharedPrimary, List.of());

        Snapshot before = Snapshot.take();
        for (String address : List.of(primary, primary.toUpperCase(Locale.ROOT), userAlias, userAlias.toUpperCase(Locale.ROOT), sharedPrimary)) {
            for (String method : List.of("PUT", "POST")) {
                assertRefused(before, method + " " + address, () -> Fixtures.as(context).body(List.of(recipient())).request(method, ONE, context.id(), address), 409, "ADDRESS_EXISTS");
            }
            Fixtures.as(context).get(ONE, context.id(), address).then().statusCode(404).body("code", equalTo("FORWARD_NOT_FOUND"));
        }
    }

    @Test
    void shouldRejectAUserAddressThatIsAForwardingAliasWith409AndChangeNothing() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        put(context, alias, List.of(recipient()), 201);
        UserRef user = Fixtures.user(context);
        String password = secret();
        Snapshot before = Snapshot.take();
        for (String address : List.of(alias, alias.toUpperCase(Locale.ROOT))) {
            assertRefused(before, "create user " + address, () -> Fixtures.as(context).body(Map.of("name", unique("n") + "@" + context.domain(),
                            "password", password, "displayName", "U", "primaryEmail", address)).post(USERS, context.id()), 409, "ADDRESS_EXISTS");
            assertRefused(before, "create user with alias " + address, () -> Fixtures.as(context).body(Map.of("name", unique("n") + "@" + context.domain(),
                            "password", password, "displayName", "U", "primaryEmail", unique("p") + "@" + context.domain(),
                            "aliases", List.of(address))).post(USERS, context.id()), 409, "ADDRESS_EXISTS");
            assertRefused(before, "add user alias " + address, () -> Fixtures.as(context).put(USERS + "/{uid}/aliases/{alias}", context.id(), user.id(), address), 409, "ADDRESS_EXISTS");
            assertRefused(before, "change primary to " + address, () -> Fixtures.as(context).body(Map.of("primaryEmail", address))
                    .put(USERS + "/{uid}", context.id(), user.id()), 409, "ADDRESS_EXISTS");
        }
        // once the forward is gone, the address is free
        Fixtures.as(context).delete(ONE, context.id(), alias).then().statusCode(204);
        userWith(context, alias, List.of());
    }

    @Test
    void shouldKeepAnAliasOnASharedDomainToTheContextThatHasIt() {
        ResellerRef reseller = Fixtures.reseller();
        String shared = unique("shared") + ".example";
        sharedDomain(reseller, shared);
        ContextRef owner = Fixtures.context(reseller);
        ContextRef other = Fixtures.context(reseller);
        String alias = unique("team") + "@" + shared;
        String r = recipient();
        put(owner, alias, List.of(r), 201);

        Snapshot before = Snapshot.take();
        for (String address : List.of(alias, alias.toUpperCase(Locale.ROOT))) {
            for (String method : List.of("PUT", "POST")) {
                assertRefused(before, method + " " + address + " in the other context",
                        () -> Fixtures.as(other).body(List.of(recipient())).request(method, ONE, other.id(), address), 409, "ALIAS_EXISTS");
            }
        }
        // the other context sees nothing of it and cannot touch it
        Fixtures.as(other).get(ONE, other.id(), alias).then().statusCode(404).body("code", equalTo("FORWARD_NOT_FOUND"));
        Fixtures.as(other).head(ONE, other.id(), alias).then().statusCode(404);
        Fixtures.as(other).get(RECIPIENT, other.id(), alias, r).then().statusCode(404).body("code", equalTo("RECIPIENT_NOT_FOUND"));
        Fixtures.as(other).head(RECIPIENT, other.id(), alias, r).then().statusCode(404);
        assertRefused(before, "DELETE alias in the other context", () -> Fixtures.as(other).delete(ONE, other.id(), alias), 404, "FORWARD_NOT_FOUND");
        Fixtures.as(other).delete(ALL, other.id()).then().statusCode(204);
        assertEquals(Map.of(alias, List.of(r)), listing(Fixtures.as(owner), owner.id(), ""));
        assertEquals(Map.of(), listing(Fixtures.as(other), other.id(), ""));
        // once the owner lets go, the other context may have it
        Fixtures.as(owner).delete(ONE, owner.id(), alias).then().statusCode(204);
        put(other, alias, List.of(r), 201);
    }

    @Test
    void shouldAnswer404WhenAnotherContextRemovesARecipientOfAnAliasItDoesNotHave() {
        ResellerRef reseller = Fixtures.reseller();
        String shared = unique("shared") + ".example";
        sharedDomain(reseller, shared);
        ContextRef owner = Fixtures.context(reseller);
        ContextRef other = Fixtures.context(reseller);
        String alias = unique("team") + "@" + shared;
        String r = recipient();
        put(owner, alias, List.of(r), 201);
        assertRefused(Snapshot.take(), "DELETE recipient of another context's alias", () -> Fixtures.as(other).delete(RECIPIENT, other.id(), alias, r), 404, "RECIPIENT_NOT_FOUND");
    }

    @Test
    void shouldNotRevealThatAnotherContextHasAnAliasOnItsOwnDomain() {
        ResellerRef reseller = Fixtures.reseller();
        ContextRef owner = Fixtures.context(reseller);
        ContextRef prober = Fixtures.context(reseller);
        String taken = alias(owner);
        put(owner, taken, List.of(recipient()), 201);
        String free = alias(owner);
        Snapshot before = Snapshot.take();
        for (String method : List.of("PUT", "POST")) {
            // an alias on a domain the prober cannot use is refused the same way whether it exists or not
            assertRefused(before, method + " free alias on another context's domain",
                    () -> Fixtures.as(prober).body(List.of(recipient())).request(method, ONE, prober.id(), free), 400, "VALIDATION_FAILED");
            assertRefused(before, method + " taken alias on another context's domain",
                    () -> Fixtures.as(prober).body(List.of(recipient())).request(method, ONE, prober.id(), taken), 400, "VALIDATION_FAILED");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-at-sign", "x@nodot", "x@-bad-.example", "two@@ctx.example", "a b@ctx.example", "x@ctx.example.",
            "llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll@ctx.example", "x@1.2"})
    void shouldRejectAnInvalidAliasWith400AndChangeNothing(String alias) {
        ContextRef context = Fixtures.context();
        put(context, alias(context), List.of(recipient()), 201);
        Snapshot before = Snapshot.take();
        for (String method : List.of("PUT", "POST")) {
            assertRefused(before, method + " " + alias, () -> Fixtures.as(context).body(List.of(recipient())).request(method, ONE, context.id(), alias), 400, "VALIDATION_FAILED");
        }
    }

    @Test
    void shouldRejectAnAliasForwardingToItselfWith400AndChangeNothing() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        Snapshot before = Snapshot.take();
        for (Object body : List.<Object>of(List.of(alias), Map.of("recipient", alias.toUpperCase(Locale.ROOT)),
                Map.of("recipient", List.of(recipient(), alias)))) {
            for (String method : List.of("PUT", "POST")) {
                assertRefused(before, method + " " + body, () -> Fixtures.as(context).body(body).request(method, ONE, context.id(), alias), 400, "VALIDATION_FAILED");
            }
        }
        String r = recipient();
        put(context, alias, List.of(r), 201);
        before = Snapshot.take();
        for (String method : List.of("PUT", "POST")) {
            assertRefused(before, method + " self to existing", () -> Fixtures.as(context).body(List.of(recipient(), alias.toUpperCase(Locale.ROOT)))
                    .request(method, ONE, context.id(), alias), 400, "VALIDATION_FAILED");
        }
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", contains(r));
    }

    @Test
    void shouldHoldAtMost1000RecipientsPerRequestAndPerAlias() {
        ContextRef context = Fixtures.context();
        String tag = unique("b");
        List<String> thousand = IntStream.range(0, 1000).mapToObj(i -> String.format("%s%04d@bulk.example", tag, i)).toList();
        List<String> tooMany = new ArrayList<>(thousand);
        tooMany.add(tag + "extra@bulk.example");

        String fresh = alias(context);
        Snapshot before = Snapshot.take();
        for (String method : List.of("PUT", "POST")) {
            assertRefused(before, method + " 1001 to a new alias", () -> Fixtures.as(context).body(tooMany).request(method, ONE, context.id(), fresh), 400, "VALIDATION_FAILED");
        }
        String alias = alias(context);
        Fixtures.as(context).body(thousand).put(ONE, context.id(), alias).then().statusCode(201).body("$", hasSize(1000));
        before = Snapshot.take();
        for (String method : List.of("PUT", "POST")) {
            assertRefused(before, method + " 1001 to a full alias", () -> Fixtures.as(context).body(tooMany).request(method, ONE, context.id(), alias), 400, "VALIDATION_FAILED");
        }
        assertRefused(before, "POST one more to a full alias", () -> Fixtures.as(context).body(List.of(tag + "extra@bulk.example")).post(ONE, context.id(), alias), 409, "LIMIT_EXCEEDED");
        assertRefused(before, "POST a known and a new one to a full alias",
                () -> Fixtures.as(context).body(List.of(thousand.get(0), tag + "extra@bulk.example")).post(ONE, context.id(), alias), 409, "LIMIT_EXCEEDED");
        // adding one it has already (in another case) changes nothing and is no excess
        Fixtures.as(context).body(Map.of("recipient", thousand.get(7).toUpperCase(Locale.ROOT))).post(ONE, context.id(), alias)
                .then().statusCode(204);
        // a replacement with 1000 others is fine
        Fixtures.as(context).body(tooMany.subList(1, 1001)).put(ONE, context.id(), alias).then().statusCode(200).body("$", hasSize(1000));
        assertEquals(1000, Db.count("SELECT COUNT(*) FROM forward_recipients r JOIN forwards f ON f.id = r.forward_id WHERE f.alias = ?", alias));
        // 600 + 500 new ones overflow, and the first 600 stay as they were
        String half = alias(context);
        Fixtures.as(context).body(thousand.subList(0, 600)).put(ONE, context.id(), half).then().statusCode(201);
        before = Snapshot.take();
        assertRefused(before, "POST 500 to 600", () -> Fixtures.as(context).body(thousand.subList(500, 1000).stream().map(s -> "n" + s).toList())
                .post(ONE, context.id(), half), 409, "LIMIT_EXCEEDED");
    }

    @Test
    void shouldCompareAddressesCaseInsensitively() {
        ContextRef context = Fixtures.context();
        String local = unique("Info");
        String mixed = local + "@" + context.domain().toUpperCase(Locale.ROOT);
        String bob = unique("Bob") + "@Dest.Example";
        Response created = Fixtures.as(context).body(List.of(bob, bob.toLowerCase(Locale.ROOT), "carol@dest.example")).put(ONE, context.id(), mixed);
        assertEquals(201, created.statusCode(), created.asString());
        List<String> recipients = created.jsonPath().getList("$");
        assertEquals(2, recipients.size(), recipients.toString());
        assertTrue(recipients.get(0).equalsIgnoreCase(bob) && recipients.get(0).endsWith("@dest.example"), recipients.toString());
        assertEquals("carol@dest.example", recipients.get(1));

        String stored = Db.string("SELECT alias FROM forwards WHERE context_id = ?", context.id());
        assertTrue(stored.equalsIgnoreCase(mixed) && stored.endsWith("@" + context.domain()), stored);
        assertEquals(List.of(stored), List.copyOf(listing(Fixtures.as(context), context.id(), "").keySet()));

        String lower = mixed.toLowerCase(Locale.ROOT);
        String upper = mixed.toUpperCase(Locale.ROOT);
        Fixtures.as(context).get(ONE, context.id(), lower).then().statusCode(200).body("$", hasSize(2));
        Fixtures.as(context).head(ONE, context.id(), upper).then().statusCode(200);
        Fixtures.as(context).get(RECIPIENT, context.id(), upper, "CAROL@DEST.EXAMPLE").then().statusCode(200);
        Fixtures.as(context).head(RECIPIENT, context.id(), lower, bob.toUpperCase(Locale.ROOT)).then().statusCode(200);
        Fixtures.as(context).body(List.of(bob.toUpperCase(Locale.ROOT))).post(ONE, context.id(), upper).then().statusCode(204);
        // replacing through another spelling replaces the one alias
        Fixtures.as(context).body(List.of("carol@dest.example", "dave@dest.example")).put(ONE, context.id(), upper)
                .then().statusCode(200).body("$", contains("carol@dest.example", "dave@dest.example"));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM forwards WHERE context_id = ?", context.id()));
        Fixtures.as(context).delete(RECIPIENT, context.id(), lower, "Dave@Dest.Example").then().statusCode(204);
        Fixtures.as(context).get(ONE, context.id(), mixed).then().statusCode(200).body("$", contains("carol@dest.example"));
        Fixtures.as(context).delete(ONE, context.id(), upper).then().statusCode(204);
        assertEquals("forwards=0;recipients=0;rows=", forwardsOf(context));
    }

    @Test
    void shouldStoreIdnDomainsAsLowercasePunycode() {
        ContextRef context = Fixtures.context();
        String label = unique("idn");
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), label + ".bücher.example")
                .then().statusCode(201).body("domain", equalTo(label + ".xn--bcher-kva.example"));
        String unicode = "x@" + label + ".BÜCHER.example";
        String puny = "x@" + label + ".xn--bcher-kva.example";
        Fixtures.as(context).body(List.of("Post@Müller.example", "r@BÜCHER.example")).put(ONE, context.id(), unicode)
                .then().statusCode(201).body("$", contains("Post@xn--mller-kva.example", "r@xn--bcher-kva.example"));
        assertEquals(puny, Db.string("SELECT alias FROM forwards WHERE context_id = ?", context.id()));
        assertEquals(Map.of(puny, List.of("Post@xn--mller-kva.example", "r@xn--bcher-kva.example")),
                listing(Fixtures.as(context), context.id(), ""));
        Fixtures.as(context).get(ONE, context.id(), puny).then().statusCode(200).body("$", hasSize(2));
        Fixtures.as(context).get(ONE, context.id(), "x@" + label + ".bücher.example").then().statusCode(200).body("$", hasSize(2));
        Fixtures.as(context).head(RECIPIENT, context.id(), puny, "r@bücher.example").then().statusCode(200);
        Fixtures.as(context).body(Map.of("recipient", "R@xn--BCHER-kva.example")).post(ONE, context.id(), unicode).then().statusCode(204);
        assertRefused(Snapshot.take(), "IDN self-forward", () -> Fixtures.as(context).body(List.of("X@" + label + ".xn--bcher-kva.example"))
                .post(ONE, context.id(), unicode), 400, "VALIDATION_FAILED");
        Fixtures.as(context).delete(RECIPIENT, context.id(), unicode, "r@bücher.example").then().statusCode(204);
        Fixtures.as(context).get(ONE, context.id(), puny).then().statusCode(200).body("$", contains("Post@xn--mller-kva.example"));
    }

    @Test
    void fortyConcurrentAdditionsToOneNewAliasAllLand() throws Exception {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String tag = unique("c");
        List<String> recipients = IntStream.range(0, 40).mapToObj(i -> String.format("%s%02d@dest.example", tag, i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<CompletableFuture<Response>> calls = new ArrayList<>();
            for (String r : recipients) {
                calls.add(CompletableFuture.supplyAsync(() -> Fixtures.as(context).body(Map.of("recipient", r))
                        .post(ONE, context.id(), alias), pool));
            }
            for (CompletableFuture<Response> call : calls) {
                Response response = call.join();
                assertEquals(201, response.statusCode(), response.asString());
            }
        } finally {
            pool.shutdownNow();
        }
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", equalTo(recipients));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM forwards WHERE alias = ?", alias));
        assertEquals(40, Db.count("SELECT COUNT(*) FROM forward_recipients r JOIN forwards f ON f.id = r.forward_id WHERE f.alias = ?", alias));
        assertEquals(40, Db.count("SELECT COUNT(*) FROM audit_log WHERE context_id = ? AND action = 'forward.add'", context.id()));
    }

    @Test
    void fortyConcurrentAdditionsToOneExistingAliasAndFortyConcurrentCreationsAllLand() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String tag = unique("e");
        put(context, alias, List.of(tag + "first@dest.example"), 201);
        List<String> recipients = IntStream.range(0, 40).mapToObj(i -> String.format("%s%02d@dest.example", tag, i)).toList();
        List<String> aliases = IntStream.range(0, 40).mapToObj(i -> String.format("%s%02d@%s", tag, i, context.domain())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<CompletableFuture<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String r = recipients.get(i);
                String a = aliases.get(i);
                calls.add(CompletableFuture.supplyAsync(() -> Fixtures.as(context).body(List.of(r)).post(ONE, context.id(), alias), pool));
                calls.add(CompletableFuture.supplyAsync(() -> Fixtures.as(context).body(Map.of("recipient", r)).put(ONE, context.id(), a), pool));
            }
            for (CompletableFuture<Response> call : calls) {
                Response response = call.join();
                assertEquals(201, response.statusCode(), response.asString());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> all = new ArrayList<>(recipients);
        all.add(tag + "first@dest.example");
        all.sort(null);
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", equalTo(all));
        Map<String, List<String>> listing = listing(Fixtures.as(context), context.id(), "");
        assertEquals(41, listing.size());
        for (int i = 0; i < 40; i++) {
            assertEquals(List.of(recipients.get(i)), listing.get(aliases.get(i)));
        }
    }

    /** Removing an alias's last recipient while another request adds one: the added recipient is never lost. */
    @Test
    void anAdditionRacingTheRemovalOfTheLastRecipientIsNeverLost() {
        ContextRef context = Fixtures.context();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 15; round++) {
                String alias = alias(context);
                String old = "old" + recipient();
                String added = "new" + recipient();
                put(context, alias, List.of(old), 201);
                CompletableFuture<Response> remove = CompletableFuture.supplyAsync(
                        () -> Fixtures.as(context).delete(RECIPIENT, context.id(), alias, old), pool);
                CompletableFuture<Response> add = CompletableFuture.supplyAsync(
                        () -> Fixtures.as(context).body(List.of(added)).post(ONE, context.id(), alias), pool);
                assertEquals(204, remove.join().statusCode(), remove.join().asString());
                assertEquals(201, add.join().statusCode(), add.join().asString());
                Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", contains(added));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldAuditEveryChange() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String a = "a" + recipient();
        String b = "b" + recipient();
        put(context, alias, List.of(a), 201);
        put(context, alias, List.of(a, b), 200);
        Fixtures.as(context).body(List.of("c" + recipient())).post(ONE, context.id(), alias).then().statusCode(201);
        Fixtures.as(context).body(List.of(a)).post(ONE, context.id(), alias).then().statusCode(204);
        Fixtures.as(context).delete(RECIPIENT, context.id(), alias, a).then().statusCode(204);
        Fixtures.as(context).delete(ONE, context.id(), alias).then().statusCode(204);
        String second = alias(context);
        Fixtures.as(context).body(List.of(a)).post(ONE, context.id(), second).then().statusCode(201);
        Fixtures.as(context).delete(ALL, context.id()).then().statusCode(204);

        List<String> actions = Fixtures.as(context.reseller()).get(AUDIT).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.contextId == " + context.id() + " && it.action.startsWith('forward.') }.action");
        assertEquals(List.of("forward.delete-all", "forward.add", "forward.delete", "forward.remove-recipient", "forward.add",
                "forward.replace", "forward.create"), actions);
        Fixtures.as(context.reseller()).get(AUDIT).then()
                .body("findAll { it.contextId == " + context.id() + " && it.action == 'forward.create' }.target", hasItem(containsString(alias)))
                .body("findAll { it.contextId == " + context.id() + " && it.action == 'forward.remove-recipient' }.target", hasItem(containsString(a)))
                .body("findAll { it.contextId == " + context.id() + " && it.action.startsWith('forward.') }.resellerId",
                        org.hamcrest.Matchers.everyItem(equalTo((int) context.reseller().id())));
    }

    @Test
    void shouldAcceptTheContextNameInsteadOfItsId() {
        ContextRef context = Fixtures.context();
        String alias = alias(context);
        String a = "a" + recipient();
        String b = "b" + recipient();
        Fixtures.as(context).body(List.of(a)).put(ONE, context.name(), alias).then().statusCode(201).body("$", contains(a));
        Fixtures.as(context.reseller()).body(List.of(b)).post(ONE, context.name(), alias).then().statusCode(201).body("$", contains(a, b));
        Fixtures.as(context).get(ONE, context.id(), alias).then().statusCode(200).body("$", contains(a, b));
        Fixtures.asQualified(context).get(ONE, context.name(), alias).then().statusCode(200).body("$", contains(a, b));
        Fixtures.as(context).head(ONE, context.name(), alias).then().statusCode(200);
        assertEquals(Map.of(alias, List.of(a, b)), listing(Fixtures.as(context.reseller()), context.name(), ""));
        Fixtures.as(context).get(RECIPIENT, context.name(), alias, a).then().statusCode(200).body("recipient", equalTo(a));
        Fixtures.as(context).head(RECIPIENT, context.name(), alias, a).then().statusCode(200);
        Fixtures.as(context).delete(RECIPIENT, context.name(), alias, a).then().statusCode(204);
        Fixtures.as(context).delete(ONE, context.name(), alias).then().statusCode(204);
        put(context, alias(context), List.of(a), 201);
        Fixtures.as(context).delete(ALL, context.name()).then().statusCode(204);
        assertEquals("forwards=0;recipients=0;rows=", forwardsOf(context));
        Fixtures.as(context.reseller()).get(ALL, unique("nosuchctx")).then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        Fixtures.as(context.reseller()).get(ALL, 2_000_000_000L).then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
    }

    // ---- access -------------------------------------------------------------------------

    /** Every forwards endpoint with the status of success; bodies and targets are those {@link #reset} leaves. */
    enum Op {
        LIST("GET", ALL, 200),
        DELETE_ALL("DELETE", ALL, 204),
        GET("GET", ONE, 200),
        HEAD("HEAD", ONE, 200),
        REPLACE("PUT", ONE, 200),
        ADD("POST", ONE, 201),
        DELETE("DELETE", ONE, 204),
        GET_RECIPIENT("GET", RECIPIENT, 200),
        HEAD_RECIPIENT("HEAD", RECIPIENT, 200),
        DELETE_RECIPIENT("DELETE", RECIPIENT, 204);

        final String method;
        final String path;
        final int success;

        Op(String method, String path, int success) {
            this.method = method;
            this.path = path;
            this.success = success;
        }

        Response send(RequestSpecification as, Object cid) {
            RequestSpecification spec = switch (this) {
                case REPLACE -> as.body(List.of(R1, R2));
                case ADD -> as.body(Map.of("recipient", R3));
                default -> as;
            };
            if (path.equals(ALL)) {
                return spec.request(method, path, cid);
            }
            if (path.equals(ONE)) {
                return spec.request(method, path, cid, homeAlias);
            }
            return spec.request(method, path, cid, homeAlias, R1);
        }
    }

    private static final String R1 = "r1@dest.example";
    private static final String R2 = "r2@dest.example";
    private static final String R3 = "r3@dest.example";
    private static ResellerRef ancestor;
    private static ResellerRef owner;
    private static ContextRef home;
    private static UserRef homeUser;
    private static String homeAlias;
    private static ContextRef other;

    /** Once per class; in a @BeforeEach because Quarkus points REST Assured at the test port only per test. */
    @BeforeEach
    void createTheTenantTreeOnce() {
        if (home == null) {
            ancestor = Fixtures.reseller();
            owner = Fixtures.subReseller(ancestor);
            home = Fixtures.context(owner);
            homeUser = Fixtures.user(home);
            homeAlias = alias(home);
            other = Fixtures.context();
        }
    }

    /** The home context with exactly one alias: homeAlias → r1, r2. */
    private static void reset() {
        Fixtures.as(home).delete(ALL, home.id()).then().statusCode(204);
        Fixtures.as(home).body(List.of(R1, R2)).put(ONE, home.id(), homeAlias).then().statusCode(201);
    }

    /**
     * Who is refused (401, 403, 404 by id and by name) and that a refusal changes nothing is
     * AccessMatrixTest's; here every admitted caller gets the right answer, naming the context
     * by id or by name.
     */
    @ParameterizedTest
    @EnumSource(Op.class)
    void everyForwardsEndpointServesTheContextsAdminAndItsResellersByIdOrByName(Op op) {
        Map<String, Supplier<RequestSpecification>> admitted = new LinkedHashMap<>();
        admitted.put("context admin", () -> Fixtures.as(home));
        admitted.put("qualified context admin", () -> Fixtures.asQualified(home));
        admitted.put("owning reseller", () -> Fixtures.as(owner));
        admitted.put("ancestor reseller", () -> Fixtures.as(ancestor));
        for (Map.Entry<String, Supplier<RequestSpecification>> who : admitted.entrySet()) {
            // the context as the caller would usually name it, and the other way too
            for (Object cid : who.getKey().contains("qualified") || who.getKey().startsWith("owning") ? List.<Object>of(home.name()) : List.<Object>of(home.id())) {
                reset();
                Response response = op.send(who.getValue().get(), cid);
                assertEquals(op.success, response.statusCode(), op + " as " + who.getKey() + " on " + cid + " → " + response.asString());
                switch (op) {
                    case LIST -> response.then().body("'" + homeAlias + "'", contains(R1, R2));
                    case GET -> response.then().body("$", contains(R1, R2));
                    case REPLACE -> response.then().body("$", contains(R1, R2));
                    case ADD -> response.then().body("$", contains(R1, R2, R3));
                    case GET_RECIPIENT -> response.then().body("recipient", equalTo(R1));
                    case DELETE_ALL -> assertEquals("forwards=0;recipients=0;rows=", forwardsOf(home));
                    case DELETE -> assertEquals("forwards=0;recipients=0;rows=", forwardsOf(home));
                    case DELETE_RECIPIENT -> assertEquals("forwards=1;recipients=1;rows=" + homeAlias + ">" + R2, forwardsOf(home));
                    default -> assertTrue(response.asString().isEmpty());
                }
            }
        }
    }

    @Test
    void refusedForwardsCallsNeverReachTheAuditLog() {
        reset();
        long before = Db.count("SELECT COUNT(*) FROM audit_log WHERE context_id = ?", home.id());
        for (Op op : Op.values()) {
            op.send(Fixtures.asQualified(other), home.id()).then().statusCode(404);
            op.send(Fixtures.as(homeUser), home.id()).then().statusCode(403);
        }
        assertEquals(before, Db.count("SELECT COUNT(*) FROM audit_log WHERE context_id = ?", home.id()));
        Fixtures.as(home).get(ONE, home.id(), homeAlias).then().statusCode(200).body("$", contains(R1, R2));
        Fixtures.as(home).get(ALL, home.id()).then().statusCode(200).body("$", aMapWithSize(1))
                .body("'" + homeAlias + "'", hasSize(2));
    }
}
