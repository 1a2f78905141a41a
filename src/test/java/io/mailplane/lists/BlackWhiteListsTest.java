package io.mailplane.lists;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.hamcrest.MatcherAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** OX "Black And White Lists" of a user. */
@QuarkusTest
class BlackWhiteListsTest {
    private static final String USER = "/oxaas/v1/admin/contexts/{cid}/users/{uid}";
    private static final String LIST = USER + "/{list}";
    private static final String ENTRY = LIST + "/{value}";
    private static final String AUDIT = "/oxaas/v1/admin/audit";
    private static final int MAX_ENTRIES = 1000;

    private static String code(String list) {
        return list.equals("blacklist") ? "B" : "W";
    }

    private static String other(String list) {
        return list.equals("blacklist") ? "whitelist" : "blacklist";
    }

    private static long pk(UserRef user) {
        return Long.parseLong(Db.string("SELECT CONCAT(pk) FROM users WHERE uidname = ?", user.name()));
    }

    private static long stored(UserRef user, String list) {
        return Db.count("SELECT COUNT(*) FROM user_list_entries WHERE user_pk = ? AND list = ?", pk(user), code(list));
    }

    // ---- Reading and writing ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"blacklist", "whitelist"})
    void shouldAddFilterRemoveAndClearTheEntriesOfAList(String list) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).get(LIST, context.id(), user.id(), list)
                .then().statusCode(200).body("$", aMapWithSize(1)).body(list, empty());

        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "bob@spam.example")
                .then().statusCode(200).body("$", aMapWithSize(1)).body(list, contains("bob@spam.example"));
        for (String entry : List.of("*@spam.example", "evil.example", "alice@good.example", "bobby@other.example")) {
            Fixtures.as(context).put(ENTRY, context.name(), user.id(), list, entry).then().statusCode(200);
        }
        List<String> all = List.of("*@spam.example", "alice@good.example", "bob@spam.example", "bobby@other.example", "evil.example");
        Fixtures.as(context).get(LIST, context.id(), user.id(), list)
                .then().statusCode(200).body("$", aMapWithSize(1)).body(list, equalTo(all));

        // Adding what is listed already is harmless: same list, no duplicate.
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "bob@spam.example")
                .then().statusCode(200).body(list, equalTo(all));
        assertEquals(5, stored(user, list));

        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "*@spam.example")
                .then().statusCode(200).body("$", aMapWithSize(1)).body(list, contains("*@spam.example", "bob@spam.example"));
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "bob*")
                .then().statusCode(200).body(list, contains("bob@spam.example", "bobby@other.example"));
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "*").then().statusCode(200).body(list, equalTo(all));
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "evil.example").then().statusCode(200).body(list, contains("evil.example"));
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "*good*").then().statusCode(200).body(list, contains("alice@good.example"));
        // The filter must match an entry as a whole.
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "spam.example").then().statusCode(200).body(list, empty());
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "bob").then().statusCode(200).body(list, empty());
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "*@nowhere.example").then().statusCode(200).body(list, empty());

        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "bob@spam.example").then().statusCode(204);
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "bob@spam.example")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("ENTRY_NOT_FOUND"));
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "never@listed.example")
                .then().statusCode(404).body("code", equalTo("ENTRY_NOT_FOUND"));
        Fixtures.as(context).get(LIST, context.id(), user.id(), list)
                .then().statusCode(200).body(list, equalTo(List.of("*@spam.example", "alice@good.example", "bobby@other.example", "evil.example")));

        Fixtures.as(context).delete(LIST, context.id(), user.id(), list).then().statusCode(204);
        Fixtures.as(context).get(LIST, context.id(), user.id(), list).then().statusCode(200).body(list, empty());
        assertEquals(0, stored(user, list));
        Fixtures.as(context).delete(LIST, context.id(), user.id(), list).then().statusCode(204);
    }

    @Test
    void shouldKeepTheBlacklistAndTheWhitelistApart() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        UserRef neighbour = Fixtures.user(context);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "spammer@bad.example").then().statusCode(200)
                .body("$", aMapWithSize(1)).body("blacklist", contains("spammer@bad.example"));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "whitelist", "friend@good.example").then().statusCode(200)
                .body("$", aMapWithSize(1)).body("whitelist", contains("friend@good.example"));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "both.example").then().statusCode(200);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "whitelist", "both.example").then().statusCode(200)
                .body("whitelist", contains("both.example", "friend@good.example"));

        Fixtures.as(context).get(LIST, context.id(), user.id(), "blacklist").then().body("blacklist", contains("both.example", "spammer@bad.example"));
        Fixtures.as(context).get(ENTRY, context.id(), user.id(), "whitelist", "spammer*").then().body("whitelist", empty());

        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), "blacklist", "both.example").then().statusCode(204);
        Fixtures.as(context).get(LIST, context.id(), user.id(), "whitelist").then().body("whitelist", contains("both.example", "friend@good.example"));
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), "whitelist", "spammer@bad.example")
                .then().statusCode(404).body("code", equalTo("ENTRY_NOT_FOUND"));

        Fixtures.as(context).delete(LIST, context.id(), user.id(), "blacklist").then().statusCode(204);
        Fixtures.as(context).get(LIST, context.id(), user.id(), "blacklist").then().body("blacklist", empty());
        Fixtures.as(context).get(LIST, context.id(), user.id(), "whitelist").then().body("whitelist", contains("both.example", "friend@good.example"));
        // Lists belong to one user.
        Fixtures.as(context).get(LIST, context.id(), neighbour.id(), "whitelist").then().statusCode(200).body("whitelist", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"blacklist", "whitelist"})
    void shouldStoreEntriesWithALowercasePunycodeDomain(String list) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "Bob@SPAM.Example").then().statusCode(200).body(list, contains("Bob@spam.example"));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "*@Bücher.Example").then().statusCode(200)
                .body(list, contains("*@xn--bcher-kva.example", "Bob@spam.example"));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "BÜCHER.example").then().statusCode(200)
                .body(list, hasItems("xn--bcher-kva.example"));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "info@bücher.example").then().statusCode(200)
                .body(list, equalTo(List.of("*@xn--bcher-kva.example", "Bob@spam.example", "info@xn--bcher-kva.example", "xn--bcher-kva.example")));

        // The same entries in another spelling are no new entries.
        List<String> expected = List.of("*@xn--bcher-kva.example", "Bob@spam.example", "info@xn--bcher-kva.example", "xn--bcher-kva.example");
        for (String again : List.of("*@xn--bcher-kva.example", "XN--BCHER-KVA.EXAMPLE", "Bob@spam.EXAMPLE", "bob@spam.example", "info@BÜCHER.example")) {
            Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, again).then().statusCode(200).body(list, equalTo(expected));
        }
        assertEquals(4, stored(user, list));

        Fixtures.as(context).get(ENTRY, context.id(), user.id(), list, "*@xn--bcher-kva.example")
                .then().statusCode(200).body(list, contains("*@xn--bcher-kva.example", "info@xn--bcher-kva.example"));
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "*@BÜCHER.example").then().statusCode(204);
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "bücher.example").then().statusCode(204);
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "Bob@Spam.Example").then().statusCode(204);
        Fixtures.as(context).get(LIST, context.id(), user.id(), list).then().statusCode(200).body(list, contains("info@xn--bcher-kva.example"));
    }

    // ---- Bad input ----------------------------------------------------------------------------

    static Stream<Arguments> invalidEntries() {
        List<String> entries = List.of("*", "a*b@x.example", "*@", "@x.example", "x@", "not an entry", "*.example.com",
                "*@*.example", "a@b@c.example", "x@-bad.example", "nodot", "host.123", "x@host.123", "*@x..example",
                "a".repeat(65) + "@x.example", "b".repeat(64) + ".example");
        return Stream.of("blacklist", "whitelist").flatMap(list -> entries.stream().map(e -> Arguments.of(list, e)));
    }

    /** One context for all invalid entries; each case gets a user of its own, so one failure cannot spill into the next. */
    private static ContextRef badInputContext;

    @ParameterizedTest
    @MethodSource("invalidEntries")
    void shouldRejectAnInvalidEntryWith400AndChangeNothing(String list, String entry) {
        if (badInputContext == null) {
            badInputContext = Fixtures.context();
        }
        ContextRef context = badInputContext;
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "kept@x.example").then().statusCode(200);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "whitelist", "*@x.example").then().statusCode(200);
        Snapshot before = Snapshot.take();
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, entry)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, entry)
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        before.assertUnchanged();
        Fixtures.as(context).get(LIST, context.id(), user.id(), "blacklist").then().statusCode(200).body("blacklist", contains("kept@x.example"));
        Fixtures.as(context).get(LIST, context.id(), user.id(), "whitelist").then().statusCode(200).body("whitelist", contains("*@x.example"));
    }

    @Test
    void shouldRejectAFilterThatIsNoAddressPattern() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        for (String filter : List.of("a b", "bob(", "x".repeat(256), "ä*")) {
            Fixtures.as(context).get(ENTRY, context.id(), user.id(), "blacklist", filter)
                    .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        }
    }

    // ---- Limit ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"blacklist", "whitelist"})
    void shouldRefuseTheThousandAndFirstEntryWith409(String list) {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        long pk = pk(user);
        String values = IntStream.range(0, MAX_ENTRIES)
                .mapToObj(i -> "(" + pk + ",'" + code(list) + "','f" + String.format("%04d", i) + "@fill.example')")
                .collect(Collectors.joining(","));
        assertEquals(MAX_ENTRIES, Db.update("INSERT INTO user_list_entries (user_pk, list, entry) VALUES " + values));
        Fixtures.as(context).get(LIST, context.id(), user.id(), list).then().statusCode(200).body(list, hasSize(MAX_ENTRIES));

        Snapshot before = Snapshot.take();
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "one-more@fill.example")
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("LIMIT_EXCEEDED"));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "full.example")
                .then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED"));
        before.assertUnchanged();
        assertEquals(MAX_ENTRIES, stored(user, list));

        // Listed entries may be added again; the other list has room of its own.
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "f0007@fill.example").then().statusCode(200).body(list, hasSize(MAX_ENTRIES));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), other(list), "one-more@fill.example").then().statusCode(200);

        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "f0000@fill.example").then().statusCode(204);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "one-more@fill.example").then().statusCode(200).body(list, hasSize(MAX_ENTRIES));
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "f0000@fill.example").then().statusCode(409).body("code", equalTo("LIMIT_EXCEEDED"));
        assertEquals(MAX_ENTRIES, stored(user, list));
    }

    // ---- Who may ----------------------------------------------------------------------------

    @Test
    void shouldAnswerUserNotFoundForAUserTheContextDoesNotHave() {
        ContextRef context = Fixtures.context();
        ContextRef other = Fixtures.context(context.reseller());
        UserRef elsewhere = Fixtures.user(other);
        Fixtures.as(other).put(ENTRY, other.id(), elsewhere.id(), "blacklist", "x@spam.example").then().statusCode(200);
        Snapshot before = Snapshot.take();
        for (Object uid : List.of(999_999, elsewhere.id())) {
            for (String list : List.of("blacklist", "whitelist")) {
                Fixtures.as(context).get(LIST, context.id(), uid, list)
                        .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("USER_NOT_FOUND"));
                Fixtures.as(context).get(ENTRY, context.id(), uid, list, "*").then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
                Fixtures.as(context).put(ENTRY, context.id(), uid, list, "x@spam.example").then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
                Fixtures.as(context).delete(ENTRY, context.id(), uid, list, "x@spam.example").then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
                Fixtures.as(context).delete(LIST, context.id(), uid, list).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
            }
        }
        for (String uid : List.of("abc", "0", "-3", "1.5", "99999999999")) {
            Fixtures.as(context).get(LIST, context.id(), uid, "blacklist")
                    .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("INVALID_ID"));
            Fixtures.as(context).put(ENTRY, context.id(), uid, "whitelist", "x@spam.example").then().statusCode(400).body("code", equalTo("INVALID_ID"));
            Fixtures.as(context).delete(LIST, context.id(), uid, "blacklist").then().statusCode(400).body("code", equalTo("INVALID_ID"));
        }
        before.assertUnchanged();
        Fixtures.as(other).get(LIST, other.id(), elsewhere.id(), "blacklist").then().statusCode(200).body("blacklist", contains("x@spam.example"));
    }

    /**
     * Who may call the list endpoints is AccessMatrixTest's (its foreign context admin is of
     * another reseller tree); here the admin of a neighbouring context of the same reseller is
     * kept away too, and the resellers above the context write to its lists.
     */
    @Test
    void shouldLetOnlyTheContextAdminAndItsResellerTreeAtTheLists() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        ContextRef context = Fixtures.context(sub);
        ContextRef neighbour = Fixtures.context(sub);
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "listed@spam.example").then().statusCode(200);

        Snapshot before = Snapshot.take();
        for (String list : List.of("blacklist", "whitelist")) {
            Fixtures.asQualified(neighbour).get(LIST, context.id(), user.id(), list).then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
            Fixtures.asQualified(neighbour).get(ENTRY, context.name(), user.id(), list, "*").then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
            Fixtures.asQualified(neighbour).put(ENTRY, context.id(), user.id(), list, "new@spam.example").then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
            Fixtures.asQualified(neighbour).delete(ENTRY, context.id(), user.id(), list, "listed@spam.example").then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
            Fixtures.asQualified(neighbour).delete(LIST, context.id(), user.id(), list).then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        }
        before.assertUnchanged();

        Fixtures.as(parent).put(ENTRY, context.id(), user.id(), "whitelist", "by-parent@good.example").then().statusCode(200);
        Fixtures.as(sub).put(ENTRY, context.id(), user.id(), "whitelist", "by-sub@good.example").then().statusCode(200);
        Fixtures.asQualified(context).get(LIST, context.name(), user.id(), "whitelist")
                .then().statusCode(200).body("whitelist", contains("by-parent@good.example", "by-sub@good.example"));
        Fixtures.as(sub).get(LIST, context.id(), user.id(), "blacklist").then().statusCode(200).body("blacklist", contains("listed@spam.example"));
    }

    // ---- Concurrency, lifecycle, audit ----------------------------------------------------------

    @Test
    void shouldLandEveryOneOfManyConcurrentAdditions() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        int parallel = 12;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                String entry = "sender" + i + "@spam.example";
                Callable<Integer> add = () -> {
                    start.await();
                    return Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", entry).statusCode();
                };
                results.add(pool.submit(add));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertEquals(200, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        Fixtures.as(context).get(LIST, context.id(), user.id(), "blacklist").then().statusCode(200).body("blacklist", hasSize(parallel));
        assertEquals(parallel, stored(user, "blacklist"));
    }

    @Test
    void shouldDropTheListsWithTheirUser() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        long pk = pk(user);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "a@spam.example").then().statusCode(200);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "whitelist", "b@good.example").then().statusCode(200);
        Fixtures.as(context).delete(USER, context.id(), user.id()).then().statusCode(204);
        assertEquals(0, Db.count("SELECT COUNT(*) FROM user_list_entries WHERE user_pk = ?", pk));
        Fixtures.as(context).get(LIST, context.id(), user.id(), "blacklist").then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
    }

    @Test
    void shouldAuditEveryChangeToAListAndNothingElse() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        for (String list : List.of("blacklist", "whitelist")) {
            Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "audited@x.example").then().statusCode(200);
            Fixtures.as(context).delete(ENTRY, context.id(), user.id(), list, "audited@x.example").then().statusCode(204);
            Fixtures.as(context).put(ENTRY, context.id(), user.id(), list, "again@x.example").then().statusCode(200);
            Fixtures.as(context).delete(LIST, context.id(), user.id(), list).then().statusCode(204);
        }
        List<Map<String, Object>> entries = Fixtures.as(context.reseller()).get(AUDIT).then().statusCode(200).extract().jsonPath().getList("$");
        List<String> actions = entries.stream()
                .filter(e -> String.valueOf(e.get("action")).matches("(black|white)list\\..*"))
                .map(e -> (String) e.get("action")).toList();
        MatcherAssert.assertThat(actions, org.hamcrest.Matchers.containsInAnyOrder(
                "blacklist.add", "blacklist.remove", "blacklist.add", "blacklist.clear",
                "whitelist.add", "whitelist.remove", "whitelist.add", "whitelist.clear"));
        Map<String, Object> added = entries.stream().filter(e -> "blacklist.add".equals(e.get("action"))
                && String.valueOf(e.get("target")).contains("audited@x.example")).findFirst().orElseThrow();
        assertEquals((int) context.id(), ((Number) added.get("contextId")).intValue());

        // Reads, refused and no-op requests leave no trace.
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "stay@x.example").then().statusCode(200);
        long before = Db.count("SELECT COUNT(*) FROM audit_log");
        Fixtures.as(context).get(LIST, context.id(), user.id(), "blacklist").then().statusCode(200);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "stay@x.example").then().statusCode(200);
        Fixtures.as(context).delete(ENTRY, context.id(), user.id(), "blacklist", "absent@x.example").then().statusCode(404);
        Fixtures.as(context).put(ENTRY, context.id(), user.id(), "blacklist", "not an entry").then().statusCode(400);
        assertEquals(before, Db.count("SELECT COUNT(*) FROM audit_log"));
    }
}
