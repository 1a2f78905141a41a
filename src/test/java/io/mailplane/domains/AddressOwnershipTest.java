package io.mailplane.domains;

import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every deliverable address has one owner on the whole platform: a user (primary address or
 * alias) or a forwarding alias, in one context. The table mail_addresses holds them all and
 * follows every write.
 */
@QuarkusTest
class AddressOwnershipTest {
    private static final String USERS = "/oxaas/v1/admin/contexts/{cid}/users";
    private static final String USER = USERS + "/{uid}";
    private static final String USER_ALIAS = USER + "/aliases/{alias}";
    private static final String FORWARD = "/oxaas/v1/admin/forwards/{cid}/{alias}";
    private static final String CONTEXT_DOMAIN = "/oxaas/v1/admin/contexts/{cid}/domains/{domain}";
    private static final String SHARED_DOMAIN = "/oxaas/v1/admin/sharedmaildomains/{domain}";
    private static final int ROUNDS = 10;

    @Test
    void anAddressRacedForAsUserAliasesAndForwardsInSeveralContextsGetsExactlyOneOwner() throws Exception {
        ResellerRef reseller = Fixtures.reseller();
        String shared = unique("race") + ".example";
        Fixtures.as(reseller).post(SHARED_DOMAIN, shared).then().statusCode(200);
        List<ContextRef> contexts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            contexts.add(Fixtures.context(reseller));
        }
        List<UserRef> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(Fixtures.user(contexts.get(i % 2)));
        }
        List<Supplier<Response>> contenders = new ArrayList<>();
        String[] address = new String[1];
        for (UserRef user : users) {
            contenders.add(() -> Fixtures.as(user.context()).put(USER_ALIAS, user.context().id(), user.id(), address[0]));
        }
        for (ContextRef context : contexts.subList(0, 2)) {
            contenders.add(() -> Fixtures.as(context).body(Map.of("name", unique("n") + "@" + context.domain(),
                            "password", Fixtures.secret(), "displayName", "Racer", "primaryEmail", address[0]))
                    .post(USERS, context.id()));
        }
        for (ContextRef context : contexts) {
            // one forward per context: within one context a second PUT would simply replace it
            contenders.add(() -> Fixtures.as(context).body(List.of(unique("r") + "@dest.example")).put(FORWARD, context.id(), address[0]));
        }

        ExecutorService pool = Executors.newFixedThreadPool(contenders.size());
        try {
            for (int round = 0; round < ROUNDS; round++) {
                address[0] = unique("x") + "@" + shared;
                CyclicBarrier start = new CyclicBarrier(contenders.size());
                List<Future<Response>> calls = new ArrayList<>();
                for (Supplier<Response> contender : contenders) {
                    calls.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return contender.get();
                    }));
                }
                List<String> outcomes = new ArrayList<>();
                int won = 0;
                for (Future<Response> call : calls) {
                    Response response = call.get(120, TimeUnit.SECONDS);
                    int status = response.statusCode();
                    outcomes.add(status + (status == 409 ? " " + response.jsonPath().getString("code") : ""));
                    if (status == 200 || status == 201) {
                        won++;
                    } else {
                        assertEquals(409, status, "round " + round + ": " + response.asString());
                    }
                }
                assertEquals(1, won, "round " + round + " " + address[0] + ": " + outcomes);
                long owners = Db.count("SELECT (SELECT COUNT(*) FROM users WHERE primary_email = ?)"
                        + " + (SELECT COUNT(*) FROM user_aliases WHERE address = ?)"
                        + " + (SELECT COUNT(*) FROM forwards WHERE alias = ?)", address[0], address[0], address[0]);
                assertEquals(1, owners, "round " + round + ": owners of " + address[0]);
                assertEquals(1, Db.count("SELECT COUNT(*) FROM mail_addresses WHERE address = ?", address[0]));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyWriteOfAUsersAddressesIsMirroredInTheRegistry() {
        ContextRef context = Fixtures.context();
        String d = context.domain();
        String primary = unique("p") + "@" + d;
        String a1 = unique("a1") + "@" + d;
        String a2 = unique("a2") + "@" + d;
        String a3 = unique("a3") + "@" + d;
        int uid = Fixtures.as(context).body(Map.of("name", primary, "password", Fixtures.secret(), "displayName", "U",
                        "primaryEmail", primary, "aliases", List.of(a1, a2)))
                .post(USERS, context.id()).then().statusCode(201).extract().jsonPath().getInt("id");
        long pk = Db.count("SELECT pk FROM users WHERE context_id = ? AND user_id = ?", context.id(), uid);
        assertEquals(List.of(a1 + " alias", a2 + " alias", primary + " primary"), registryOfUser(context, pk));

        Fixtures.as(context).body(Map.of("aliases", List.of(a2, a3))).put(USER, context.id(), uid).then().statusCode(200);
        assertEquals(List.of(a2 + " alias", a3 + " alias", primary + " primary"), registryOfUser(context, pk));

        // the primary address becomes the former alias a2: a2 is now primary, the old primary is free
        Fixtures.as(context).body(Map.of("primaryEmail", a2, "aliases", List.of(a3))).put(USER, context.id(), uid).then().statusCode(200);
        assertEquals(List.of(a2 + " primary", a3 + " alias"), registryOfUser(context, pk));
        assertFree(primary);

        String a4 = unique("a4") + "@" + d;
        Fixtures.as(context).put(USER_ALIAS, context.id(), uid, a4).then().statusCode(200);
        assertEquals(List.of(a2 + " primary", a3 + " alias", a4 + " alias"), registryOfUser(context, pk));
        Fixtures.as(context).delete(USER_ALIAS, context.id(), uid, a4.toUpperCase(java.util.Locale.ROOT)).then().statusCode(200);
        assertEquals(List.of(a2 + " primary", a3 + " alias"), registryOfUser(context, pk));
        // what was freed can be taken by a forward
        Fixtures.as(context).body(List.of("r@dest.example")).put(FORWARD, context.id(), a4).then().statusCode(201);
        Fixtures.as(context).put(USER_ALIAS, context.id(), uid, a4).then().statusCode(409).body("code", equalTo("ADDRESS_EXISTS"));

        Fixtures.as(context).delete(USER, context.id(), uid).then().statusCode(204);
        assertEquals(List.of(), registryOfUser(context, pk));
        assertFree(a2);
        assertFree(a3);
    }

    @Test
    void everyWayAForwardGoesFreesItsAddress() {
        ContextRef context = Fixtures.context();
        String alias = unique("fw") + "@" + context.domain();
        Fixtures.as(context).body(List.of("one@dest.example")).put(FORWARD, context.id(), alias).then().statusCode(201);
        assertEquals("forward", Db.string("SELECT a.kind FROM mail_addresses a JOIN forwards f ON f.id = a.forward_id"
                + " WHERE a.address = ? AND a.context_id = ? AND f.alias = ?", alias, context.id(), alias));

        // its last recipient goes
        Fixtures.as(context).delete(FORWARD + "/{recipient}", context.id(), alias, "one@dest.example").then().statusCode(204);
        assertFree(alias);

        // deleted
        Fixtures.as(context).body(List.of("two@dest.example")).put(FORWARD, context.id(), alias).then().statusCode(201);
        Fixtures.as(context).delete(FORWARD, context.id(), alias).then().statusCode(204);
        assertFree(alias);

        // its domain released by force
        String extra = unique("extra") + ".example";
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), extra).then().statusCode(201);
        String onExtra = unique("fw") + "@" + extra;
        Fixtures.as(context).body(List.of("three@dest.example")).put(FORWARD, context.id(), onExtra).then().statusCode(201);
        Fixtures.as(context).queryParam("force", true).delete(CONTEXT_DOMAIN, context.id(), extra).then().statusCode(204);
        assertFree(onExtra);

        // a user can then have it
        Fixtures.as(context).body(List.of("four@dest.example")).put(FORWARD, context.id(), alias).then().statusCode(201);
        Fixtures.as(context).delete(FORWARD, context.id(), alias).then().statusCode(204);
        Fixtures.as(context).body(Map.of("name", alias, "password", Fixtures.secret(), "displayName", "U", "primaryEmail", alias))
                .post(USERS, context.id()).then().statusCode(201);
    }

    @Test
    void deletingAContextFreesTheAddressesOfItsUsersAndForwards() {
        ResellerRef reseller = Fixtures.reseller();
        ContextRef context = Fixtures.context(reseller);
        UserRef user = Fixtures.user(context);
        String alias = unique("al") + "@" + context.domain();
        Fixtures.as(context).put(USER_ALIAS, context.id(), user.id(), alias).then().statusCode(200);
        String forward = unique("fw") + "@" + context.domain();
        Fixtures.as(context).body(List.of("r@dest.example")).put(FORWARD, context.id(), forward).then().statusCode(201);
        assertEquals(3, Db.count("SELECT COUNT(*) FROM mail_addresses WHERE context_id = ?", context.id()));

        Fixtures.as(reseller).delete("/oxaas/v1/admin/contexts/{cid}", context.id()).then().statusCode(204);
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_addresses WHERE context_id = ?", context.id()));
        for (String address : List.of(user.email(), alias, forward)) {
            assertFree(address);
        }
    }

    /** The registry rows of one user, "address kind", sorted by address. */
    private static List<String> registryOfUser(ContextRef context, long userPk) {
        String rows = Db.string("SELECT GROUP_CONCAT(CONCAT(address, ' ', kind) ORDER BY address SEPARATOR '|')"
                + " FROM mail_addresses WHERE context_id = ? AND user_pk = ? AND forward_id IS NULL", context.id(), userPk);
        return rows == null ? List.of() : List.of(rows.split("\\|"));
    }

    private static void assertFree(String address) {
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_addresses WHERE address = ?", address), address + " is still registered");
        assertTrue(Db.count("SELECT (SELECT COUNT(*) FROM users WHERE primary_email = ?) + (SELECT COUNT(*) FROM user_aliases WHERE address = ?)"
                + " + (SELECT COUNT(*) FROM forwards WHERE alias = ?)", address, address, address) == 0, address + " still has an owner");
    }
}
