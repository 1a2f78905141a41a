package io.mailplane.announcements;

import static io.mailplane.announcements.Announcements.ADMIN;
import static io.mailplane.announcements.Announcements.USER;
import static io.mailplane.announcements.Announcements.activeNow;
import static io.mailplane.announcements.Announcements.body;
import static io.mailplane.announcements.Announcements.create;
import static io.mailplane.announcements.Announcements.with;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Race;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OX's announcement operations, as the OX client calls them (no Content-Type on bodies), and the brand boundary. */
@QuarkusTest
class AnnouncementsTest {

    @Test
    void anOxClientCreatesWithoutAContentTypeAndGetsJsonListsOfObjectsWithNumericIds() {
        ResellerRef reseller = Fixtures.reseller();
        String body = "{\"name\":\"Maintenance\",\"msgJsonObject\":{\"en\":\"Down on Sunday\",\"de\":\"Sonntag nicht da\"},"
                + "\"startDatetime\":\"2090-06-01T08:00:00\",\"endDatetime\":\"2090-06-02T08:00:00\",\"timezone\":\"Europe/Berlin\","
                + "\"discardable\":true,\"enabled\":true}";
        HttpResponse<String> created = OxClient.send("POST", ADMIN, reseller.name(), reseller.password(), body);
        assertEquals(201, created.statusCode(), created.body());
        JsonPath a = JsonPath.from(created.body());
        long id = a.getLong("id");
        assertEquals(0, a.getInt("version"));
        assertEquals("Maintenance", a.getString("name"));
        assertEquals(Map.of("en", "Down on Sunday", "de", "Sonntag nicht da"), a.getMap("msgJsonObject"));
        assertEquals("2090-06-01T08:00:00+02:00", a.getString("startDatetime"));
        assertEquals("2090-06-02T08:00:00+02:00", a.getString("endDatetime"));
        assertEquals("Europe/Berlin", a.getString("timezone"));
        assertEquals(true, a.getBoolean("discardable"));
        assertEquals(true, a.getBoolean("enabled"));
        assertEquals(reseller.brand(), a.getString("ownerBrand"));
        assertEquals(List.of(reseller.brand()), a.getList("brands"));
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith(ADMIN + "/" + id));

        for (String path : List.of(ADMIN, ADMIN + "/*", "/api" + ADMIN, "/api" + ADMIN + "/*")) {
            HttpResponse<String> list = OxClient.send("GET", path, reseller.name(), reseller.password(), null);
            assertEquals(200, list.statusCode(), path + ": " + list.body());
            assertTrue(OxClient.contentType(list).startsWith("application/json"), path + ": " + OxClient.contentType(list));
            assertEquals(List.of((int) id), JsonPath.from(list.body()).getList("id"), path);
            assertEquals("Maintenance", JsonPath.from(list.body()).getString("[0].name"), path);
        }
        // The update and the enable/disable switches without a Content-Type too.
        HttpResponse<String> updated = OxClient.send("PUT", ADMIN + "/" + id, reseller.name(), reseller.password(),
                "{\"id\":" + id + ",\"version\":0,\"name\":\"Maintenance window\",\"msgJsonObject\":[1,\"two\",{\"three\":3}]}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("Maintenance window", JsonPath.from(updated.body()).getString("name"));
        assertEquals(1, JsonPath.from(updated.body()).getInt("version"));
        assertEquals(200, OxClient.send("PUT", ADMIN + "/disable/" + id, reseller.name(), reseller.password(), null).statusCode());
        assertEquals(200, OxClient.send("PUT", ADMIN + "/enable/" + id, reseller.name(), reseller.password(), null).statusCode());
        assertEquals(204, OxClient.send("DELETE", ADMIN + "/" + id, reseller.name(), reseller.password(), null).statusCode());
    }

    @Test
    void everyOxOperationDoesWhatItSays() {
        ResellerRef reseller = Fixtures.reseller();
        long id = create(reseller, body("First"));
        long other = create(reseller, with(body("Second"), "discardable", false));

        Fixtures.as(reseller).get(ADMIN + "/{id}", id).then().statusCode(200)
                .header("ETag", "\"0\"").body("id", equalTo((int) id)).body("name", equalTo("First"))
                .body("msgJsonObject.text", equalTo("Hello First"));
        Fixtures.as(reseller).get(ADMIN).then().statusCode(200).body("id", equalTo(List.of((int) id, (int) other)));

        Fixtures.as(reseller).body(Map.of("name", "Renamed", "startDatetime", "2090-01-01T00:00", "timezone", "America/New_York"))
                .put(ADMIN + "/{id}", id).then().statusCode(200)
                .header("ETag", "\"1\"").body("version", equalTo(1)).body("name", equalTo("Renamed"))
                .body("startDatetime", equalTo("2090-01-01T00:00:00-05:00"))
                // the end's wall-clock time stays, now in the new zone
                .body("endDatetime", equalTo("2090-06-02T08:00:00-04:00"))
                .body("timezone", equalTo("America/New_York"))
                .body("msgJsonObject.text", equalTo("Hello First"));

        Fixtures.as(reseller).put(ADMIN + "/disable/{id}", id).then().statusCode(200).body("enabled", equalTo(false)).body("version", equalTo(2));
        Snapshot.assertUnchangedBy("disabling a disabled announcement",
                () -> Fixtures.as(reseller).put(ADMIN + "/disable/{id}", id).then().statusCode(200).body("enabled", equalTo(false)));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM announcement_targets WHERE announcement_id = ? AND enabled", id));
        Fixtures.as(reseller).put(ADMIN + "/enable/{id}", id).then().statusCode(200).body("enabled", equalTo(true)).body("version", equalTo(3));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM announcement_targets WHERE announcement_id = ? AND enabled", id));

        Fixtures.as(reseller).delete(ADMIN + "/{id}", id).then().statusCode(204);
        Fixtures.as(reseller).get(ADMIN + "/{id}", id).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
        Fixtures.as(reseller).delete(ADMIN + "/{id}", id).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
        Fixtures.as(reseller).get(ADMIN).then().statusCode(200).body("id", equalTo(List.of((int) other)));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM announcement_targets WHERE announcement_id = ?", id));
        assertTrue(Db.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'announcement.%' AND target LIKE ?", "announcement " + id + " %") >= 5);
    }

    @Test
    void aResellerReachesTheAnnouncementsOfItsOwnBrandTreeOnly() {
        ResellerRef top = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(top);
        ResellerRef stranger = Fixtures.reseller();
        long topsOwn = create(top, body("Top's"));
        long subsOwn = create(sub, body("Sub's"));
        // a parent may own one for its sub-brand and target the sub-brand
        long forSub = create(top, with(with(body("For sub"), "ownerBrand", sub.brand()), "brands", List.of(sub.brand())));

        Fixtures.as(top).get(ADMIN).then().statusCode(200).body("id", equalTo(List.of((int) topsOwn, (int) subsOwn, (int) forSub)));
        Fixtures.as(sub).get(ADMIN).then().statusCode(200).body("id", equalTo(List.of((int) subsOwn, (int) forSub)));
        Fixtures.as(stranger).get(ADMIN).then().statusCode(200).body("id", equalTo(List.of()));
        Fixtures.as(top).put(ADMIN + "/disable/{id}", subsOwn).then().statusCode(200);

        Snapshot before = Snapshot.take();
        for (var who : List.of(Map.entry(stranger, topsOwn), Map.entry(stranger, subsOwn), Map.entry(sub, topsOwn))) {
            long id = who.getValue();
            ResellerRef caller = who.getKey();
            Fixtures.as(caller).get(ADMIN + "/{id}", id).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
            Fixtures.as(caller).body(Map.of("name", "Hijacked")).put(ADMIN + "/{id}", id).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
            Fixtures.as(caller).put(ADMIN + "/enable/{id}", id).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
            Fixtures.as(caller).put(ADMIN + "/disable/{id}", id).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
            Fixtures.as(caller).delete(ADMIN + "/{id}", id).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
        }
        // Brands outside the tree, as targets or as owner, are "not found" too (like a brand that does not exist).
        for (Map<String, Object> body : List.of(with(body("x"), "brands", List.of(stranger.brand())),
                with(body("x"), "brands", List.of(sub.brand(), top.brand())),
                with(body("x"), "ownerBrand", top.brand()),
                with(body("x"), "brands", List.of("no-such-brand.example")))) {
            Fixtures.as(sub).body(body).post(ADMIN).then().statusCode(404).body("code", equalTo("RESELLER_NOT_FOUND"));
        }
        Fixtures.as(top).body(Map.of("brands", List.of(stranger.brand()))).put(ADMIN + "/{id}", topsOwn)
                .then().statusCode(404).body("code", equalTo("RESELLER_NOT_FOUND"));
        Fixtures.as(top).body(Map.of("ownerBrand", stranger.brand())).put(ADMIN + "/{id}", topsOwn)
                .then().statusCode(404).body("code", equalTo("RESELLER_NOT_FOUND"));
        // Moving ownership to the sub-brand while targeting the parent leaves the owner's tree.
        Fixtures.as(top).body(Map.of("ownerBrand", sub.brand())).put(ADMIN + "/{id}", topsOwn)
                .then().statusCode(404).body("code", equalTo("RESELLER_NOT_FOUND"));
        before.assertUnchanged("a refused request changed announcements");

        // The master admin (without the account override) is no reseller here.
        Fixtures.asMaster().get(ADMIN).then().statusCode(403);
    }

    @Test
    void usersSeeWhatTargetsTheirBrandOrAnAncestorNeitherSiblingsNorOtherTrees() {
        ResellerRef top = Fixtures.reseller();
        ResellerRef middle = Fixtures.subReseller(top);
        ResellerRef leaf = Fixtures.subReseller(middle);
        ResellerRef sibling = Fixtures.subReseller(top);
        ResellerRef stranger = Fixtures.reseller();
        UserRef leafUser = Fixtures.user(Fixtures.context(leaf));
        UserRef middleUser = Fixtures.user(Fixtures.context(middle));
        UserRef siblingUser = Fixtures.user(Fixtures.context(sibling));
        UserRef strangerUser = Fixtures.user(Fixtures.context(stranger));

        long forTop = create(top, activeNow("all of top"));
        long forMiddle = create(top, activeNow("middle and below", middle.brand()));
        long forLeaf = create(middle, activeNow("leaf only", leaf.brand()));
        long forSibling = create(top, activeNow("sibling", sibling.brand()));
        long both = create(top, activeNow("twice", top.brand(), middle.brand()));
        long strangers = create(stranger, activeNow("stranger's"));

        assertEquals(List.of(forTop, forMiddle, forLeaf, both), seenBy(leafUser));
        assertEquals(List.of(forTop, forMiddle, both), seenBy(middleUser));
        assertEquals(List.of(forTop, forSibling, both), seenBy(siblingUser));
        assertEquals(List.of(strangers), seenBy(strangerUser));
        // With a session token, as with Basic
        String token = Fixtures.anonymous().body(Map.of("userName", leafUser.name(), "password", leafUser.password()))
                .post("/api/2.0/authentication").then().statusCode(201).extract().jsonPath().getString("response.token");
        Fixtures.anonymous().header("Authorization", "Bearer " + token).get(USER).then().statusCode(200)
                .body("id", equalTo(List.of((int) forTop, (int) forMiddle, (int) forLeaf, (int) both)))
                .body("[0].name", equalTo("all of top"))
                .body("[0].msgJsonObject.text", equalTo("Hello all of top"))
                .body("[0].discardable", equalTo(true))
                .body("[0]", not(org.hamcrest.Matchers.hasKey("brands")));
        // A reseller is no user here.
        Fixtures.as(top).get(USER).then().statusCode(403);
    }

    @Test
    void aUserDismissesADiscardableAnnouncementForThemselvesOnly() {
        ResellerRef reseller = Fixtures.reseller();
        ContextRef context = Fixtures.context(reseller);
        UserRef anna = Fixtures.user(context);
        UserRef ben = Fixtures.user(context);
        long discardable = create(reseller, activeNow("can go"));
        long sticky = create(reseller, with(activeNow("stays"), "discardable", false));
        long future = create(reseller, Announcements.around("later", "Europe/Berlin", 60, 120));
        long strangers = create(Fixtures.reseller(), activeNow("elsewhere"));

        Fixtures.as(anna).post(USER + "/{id}/dismiss", discardable).then().statusCode(204);
        assertEquals(List.of(sticky), seenBy(anna));
        assertEquals(List.of(discardable, sticky), seenBy(ben));
        Snapshot.assertUnchangedBy("dismissing twice", () -> Fixtures.as(anna).post(USER + "/{id}/dismiss", discardable).then().statusCode(204));

        Snapshot before = Snapshot.take();
        Fixtures.as(anna).post(USER + "/{id}/dismiss", sticky).then().statusCode(409).body("code", equalTo("ANNOUNCEMENT_NOT_DISCARDABLE"));
        for (long invisible : List.of(future, strangers, 999_999_999L)) {
            Fixtures.as(anna).post(USER + "/{id}/dismiss", invisible).then().statusCode(404).body("code", equalTo("ANNOUNCEMENT_NOT_FOUND"));
        }
        Fixtures.as(anna).post(USER + "/{id}/dismiss", "abc").then().statusCode(400).body("code", equalTo("INVALID_ID"));
        before.assertUnchanged("a refused dismissal changed the database");
        assertEquals(List.of(sticky), seenBy(anna));

        // Dismissals go with the announcement, and with the user.
        Fixtures.as(reseller).delete(ADMIN + "/{id}", discardable).then().statusCode(204);
        assertEquals(0, Db.count("SELECT COUNT(*) FROM announcement_dismissals WHERE announcement_id = ?", discardable));
    }

    @Test
    void aStaleVersionInTheBodyOrInIfMatchIsRefusedAndChangesNothing() {
        ResellerRef reseller = Fixtures.reseller();
        long id = create(reseller, body("Versioned"));
        Fixtures.as(reseller).body(Map.of("name", "v1")).put(ADMIN + "/{id}", id).then().statusCode(200).body("version", equalTo(1));

        Snapshot before = Snapshot.take();
        Fixtures.as(reseller).body(Map.of("name", "stale", "version", 0)).put(ADMIN + "/{id}", id)
                .then().statusCode(412).body("code", equalTo("PRECONDITION_FAILED"));
        Fixtures.as(reseller).header("If-Match", "\"0\"").body(Map.of("name", "stale")).put(ADMIN + "/{id}", id)
                .then().statusCode(412).body("code", equalTo("PRECONDITION_FAILED"));
        Fixtures.as(reseller).header("If-Match", "\"1\"").body(Map.of("name", "stale", "version", 0)).put(ADMIN + "/{id}", id)
                .then().statusCode(412);
        Fixtures.as(reseller).header("If-Match", "\"0\"").put(ADMIN + "/disable/{id}", id).then().statusCode(412);
        Fixtures.as(reseller).header("If-Match", "\"0\"").put(ADMIN + "/enable/{id}", id).then().statusCode(412);
        Fixtures.as(reseller).header("If-Match", "\"0\"").delete(ADMIN + "/{id}", id).then().statusCode(412);
        before.assertUnchanged("a stale write changed the database");

        Fixtures.as(reseller).header("If-Match", "\"1\"").body(Map.of("name", "v2", "version", 1)).put(ADMIN + "/{id}", id)
                .then().statusCode(200).header("ETag", "\"2\"").body("name", equalTo("v2"));
        Fixtures.as(reseller).header("If-Match", "\"2\"").delete(ADMIN + "/{id}", id).then().statusCode(204);
    }

    @Test
    void ofWritersRacingWithTheSameVersionExactlyOneWins() throws Exception {
        ResellerRef reseller = Fixtures.reseller();
        long id = create(reseller, body("Raced"));
        // Names differ between rounds: a write that changes nothing bumps no version, and a second writer may then win too.
        for (String how : List.of("body", "If-Match")) {
            int version = Fixtures.as(reseller).get(ADMIN + "/{id}", id).then().statusCode(200).extract().jsonPath().getInt("version");
            List<io.restassured.response.Response> answers = Race.of(6, i -> {
                var request = Fixtures.as(reseller);
                if (how.equals("If-Match")) {
                    request.header("If-Match", "\"" + version + "\"").body(Map.of("name", how + " writer " + i));
                } else {
                    request.body(Map.of("name", how + " writer " + i, "version", version));
                }
                return request.put(ADMIN + "/{id}", id);
            });
            List<Integer> statuses = Race.statuses(answers);
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), how + ": " + statuses);
            assertEquals(5, statuses.stream().filter(s -> s == 412).count(), how + ": " + statuses);
            int winner = statuses.indexOf(200);
            Fixtures.as(reseller).get(ADMIN + "/{id}", id).then().statusCode(200)
                    .body("name", equalTo(how + " writer " + winner)).body("version", equalTo(version + 1));
        }
    }

    @Test
    void badInputIsA400AndChangesNothing() {
        ResellerRef reseller = Fixtures.reseller();
        long id = create(reseller, body("Target"));
        Map<String, Object> valid = body(unique("a"));
        Snapshot before = Snapshot.take();
        List<Map.Entry<Map<String, Object>, String>> cases = List.of(
                Map.entry(with(valid, "timezone", "Mars/Olympus"), "timezone"),
                Map.entry(with(valid, "timezone", "+01:00"), "timezone"),
                Map.entry(with(valid, "timezone", "europe/berlin"), "timezone"),
                Map.entry(with(valid, "timezone", 1), "timezone"),
                Map.entry(with(valid, "endDatetime", "2090-05-31T08:00:00"), "endDatetime"),
                Map.entry(with(valid, "endDatetime", valid.get("startDatetime")), "endDatetime"),
                Map.entry(with(valid, "startDatetime", "2090-02-30T08:00:00"), "startDatetime"),
                Map.entry(with(valid, "startDatetime", "next tuesday"), "startDatetime"),
                Map.entry(with(valid, "startDatetime", "2090-06-01"), "startDatetime"),
                Map.entry(with(valid, "startDatetime", "+10000-01-01T00:00:00"), "startDatetime"),
                Map.entry(with(valid, "startDatetime", 20900601), "startDatetime"),
                Map.entry(with(valid, "msgJsonObject", Map.of("text", "x".repeat(70_000))), "msgJsonObject"),
                Map.entry(with(valid, "name", 5), "name"),
                Map.entry(with(valid, "name", ""), "name"),
                Map.entry(with(valid, "name", "a\nb"), "name"),
                Map.entry(with(valid, "enabled", "true"), "enabled"),
                Map.entry(with(valid, "discardable", 1), "discardable"),
                Map.entry(with(valid, "brands", "solo.brand"), "brands"),
                Map.entry(with(valid, "brands", List.of(5)), "brands"),
                Map.entry(with(valid, "ownerBrand", "Not A Brand"), "ownerBrand"),
                Map.entry(with(valid, "name", null), "name"),
                Map.entry(with(valid, "msgJsonObject", null), "msgJsonObject"),
                Map.entry(with(valid, "timezone", null), "timezone"),
                Map.entry(with(valid, "startDatetime", null), "startDatetime"),
                Map.entry(with(valid, "endDatetime", null), "endDatetime"));
        for (var c : cases) {
            Fixtures.as(reseller).body(c.getKey()).post(ADMIN).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(startsWith(c.getValue())));
        }
        // JSON null as the message is no message
        Fixtures.as(reseller).body("{\"name\":\"n\",\"msgJsonObject\":null,\"startDatetime\":\"2090-06-01T08:00\","
                + "\"endDatetime\":\"2090-06-02T08:00\",\"timezone\":\"UTC\"}").post(ADMIN).then().statusCode(400);
        Fixtures.as(reseller).body("{\"name\":").post(ADMIN).then().statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        Fixtures.as(reseller).body(with(valid, "isAdmin", true)).post(ADMIN).then().statusCode(400).body("code", equalTo("UNKNOWN_FIELD"));
        Fixtures.as(reseller).contentType("text/plain").body("{}").post(ADMIN).then().statusCode(415);
        // updates
        Fixtures.as(reseller).body(Map.of("endDatetime", "2090-05-01T00:00")).put(ADMIN + "/{id}", id).then().statusCode(400)
                .body("errors.field", hasItem("endDatetime"));
        Fixtures.as(reseller).body(Map.of("timezone", "Nowhere/City")).put(ADMIN + "/{id}", id).then().statusCode(400);
        Fixtures.as(reseller).body(Map.of("id", id + 1)).put(ADMIN + "/{id}", id).then().statusCode(400).body("errors.field", hasItem("id"));
        Fixtures.as(reseller).body("{\"msgJsonObject\":null}").put(ADMIN + "/{id}", id).then().statusCode(400);
        Fixtures.as(reseller).body(Map.of("msgJsonObject", "y".repeat(65_536))).put(ADMIN + "/{id}", id).then().statusCode(400);
        Fixtures.as(reseller).body(Map.of("version", "1")).put(ADMIN + "/{id}", id).then().statusCode(400).body("code", equalTo("INVALID_TYPE"));
        Fixtures.as(reseller).get(ADMIN + "/{id}", "x1").then().statusCode(400).body("code", equalTo("INVALID_ID"));
        before.assertUnchanged("bad input changed the database");

        // The largest message fits.
        String text = "z".repeat(AnnouncementDtos.MAX_MESSAGE_BYTES - 2);
        Fixtures.as(reseller).body(Map.of("msgJsonObject", text)).put(ADMIN + "/{id}", id).then().statusCode(200)
                .body("msgJsonObject", equalTo(text));
    }

    private static List<Long> seenBy(UserRef user) {
        return Fixtures.as(user).get(USER).then().statusCode(200).extract().jsonPath().getList("id", Long.class);
    }
}
