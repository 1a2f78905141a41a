package io.mailplane.users;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The master login, reseller names, tenant-credential logins and user logins are one namespace
 * (issue 9, item 9): none may be created (or renamed) into a name another realm signs in with.
 */
@QuarkusTest
class LoginNamespacesTest {
    private static final String USERS = "/oxaas/v1/admin/contexts/{cid}/users";
    private static final String UIDNAME = USERS + "/{uid}/uidname";
    private static final String RESELLERS = "/oxaas/v1/admin/resellers";
    private static final String TENANT = RESELLERS + "/{id}/tenant";

    private static Response createUser(ContextRef context, String login) {
        return Fixtures.as(context).body(Map.of("name", login, "password", Fixtures.secret(), "displayName", "User",
                        "primaryEmail", Fixtures.unique("m") + "@" + context.domain()))
                .post(USERS, context.id());
    }

    private static Response createReseller(String name) {
        return Fixtures.asMaster().body(Map.of("name", name, "password", Fixtures.secret(), "displayName", "Reseller",
                "brand", Fixtures.unique("b") + ".brand")).post(RESELLERS);
    }

    private static Response setTenant(ResellerRef reseller, String login) {
        return Fixtures.as(reseller).body(Map.of("login", login, "password", Fixtures.secret())).put(TENANT, reseller.id());
    }

    private static String tenantLogin(ResellerRef reseller) {
        String login = Fixtures.unique("tenant");
        setTenant(reseller, login).then().statusCode(204);
        return login;
    }

    @Test
    void shouldRefuseAUserLoginThatTheMasterOrAnAdminRealmSignsInWith() {
        ContextRef context = Fixtures.context();
        ResellerRef other = Fixtures.reseller();
        String tenant = tenantLogin(other);
        for (String taken : List.of(Fixtures.MASTER_LOGIN, "MASTER", other.name(), other.name().toUpperCase(), tenant)) {
            Snapshot before = Snapshot.take();
            createUser(context, taken).then().statusCode(409).contentType("application/problem+json").body("code", equalTo("USER_EXISTS"));
            before.assertUnchanged(taken);
        }
        assertEquals(0, Db.count("SELECT COUNT(*) FROM users WHERE uidname IN (?, ?, ?)", Fixtures.MASTER_LOGIN, other.name(), tenant));
    }

    @Test
    void shouldRefuseAUserLoginThatSignsInAsAContextAdmin() {
        ContextRef context = Fixtures.context();
        ContextRef target = Fixtures.context();
        for (String taken : List.of(target.adminLogin() + "@" + target.name(), target.adminLogin() + "@" + target.id(),
                target.adminLogin().toUpperCase() + "@" + target.name())) {
            createUser(context, taken).then().statusCode(409).body("code", equalTo("USER_EXISTS"));
        }
        // Another admin name, or a name that no context has, is a login like any other.
        createUser(context, "someone@" + target.name()).then().statusCode(201);
        createUser(context, target.adminLogin() + "@" + Fixtures.unique("noctx")).then().statusCode(201);
    }

    @Test
    void shouldRefuseToRenameAUserIntoAnAdminRealmsLogin() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        ResellerRef other = Fixtures.reseller();
        String tenant = tenantLogin(other);
        ContextRef target = Fixtures.context();
        for (String taken : List.of(Fixtures.MASTER_LOGIN, other.name(), tenant, target.adminLogin() + "@" + target.name())) {
            Fixtures.as(context).body(Map.of("uidname", taken)).put(UIDNAME, context.id(), user.id())
                    .then().statusCode(409).body("code", equalTo("USER_EXISTS"));
        }
        Fixtures.as(context).get(UIDNAME, context.id(), user.id()).then().statusCode(200).body("uidname", equalTo(user.name()));
        // A free name is fine, and the old one is free again afterwards.
        String renamed = Fixtures.unique("renamed");
        Fixtures.as(context).body(Map.of("uidname", renamed)).put(UIDNAME, context.id(), user.id()).then().statusCode(200);
        createReseller(user.name()).then().statusCode(201);
        createReseller(renamed).then().statusCode(409).body("code", equalTo("RESELLER_EXISTS"));
    }

    @Test
    void shouldRefuseAResellerNamedLikeAUserOrATenantLogin() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String tenant = tenantLogin(Fixtures.reseller());
        for (String taken : List.of(user.name(), user.name().toUpperCase(), tenant)) {
            Snapshot before = Snapshot.take();
            createReseller(taken).then().statusCode(409).body("code", equalTo("RESELLER_EXISTS"));
            before.assertUnchanged(taken);
        }
    }

    @Test
    void shouldRefuseATenantLoginNamedLikeAUserAResellerOrTheMaster() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        ResellerRef reseller = Fixtures.reseller();
        ResellerRef other = Fixtures.reseller();
        String tenant = tenantLogin(reseller);
        for (String taken : List.of(user.name(), other.name(), reseller.name(), Fixtures.MASTER_LOGIN)) {
            setTenant(reseller, taken).then().statusCode(409).body("code", equalTo("TENANT_LOGIN_EXISTS"));
        }
        assertEquals(tenant, Db.string("SELECT login FROM tenant_credentials WHERE reseller_id = ?", reseller.id()));
        // Setting the same login again is no conflict; replacing it frees the old one.
        setTenant(reseller, tenant).then().statusCode(204);
        setTenant(reseller, Fixtures.unique("tenant")).then().statusCode(204);
        createUser(context, tenant).then().statusCode(201);
    }

    @Test
    void shouldFreeALoginWhenItsAccountIsDeleted() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).delete(USERS + "/{uid}", context.id(), user.id()).then().statusCode(204);
        createReseller(user.name()).then().statusCode(201);

        ContextRef gone = Fixtures.context();
        UserRef inGone = Fixtures.user(gone);
        Fixtures.as(gone.reseller()).delete("/oxaas/v1/admin/contexts/{cid}", gone.id()).then().statusCode(204);
        ResellerRef reseller = Fixtures.reseller();
        setTenant(reseller, inGone.name()).then().statusCode(204);
    }

    @Test
    void shouldLetExactlyOneRealmWinALoginClaimedByAUserAResellerAndATenantAtOnce() throws Exception {
        ContextRef context = Fixtures.context();
        ResellerRef reseller = Fixtures.reseller();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 8; round++) {
                String login = Fixtures.unique("contested");
                CyclicBarrier start = new CyclicBarrier(3);
                List<Callable<Integer>> claims = List.of(
                        () -> {
                            start.await(10, TimeUnit.SECONDS);
                            return createUser(context, login).statusCode();
                        },
                        () -> {
                            start.await(10, TimeUnit.SECONDS);
                            return createReseller(login).statusCode();
                        },
                        () -> {
                            start.await(10, TimeUnit.SECONDS);
                            return setTenant(reseller, login).statusCode();
                        });
                List<Future<Integer>> futures = new ArrayList<>();
                for (Callable<Integer> claim : claims) {
                    futures.add(pool.submit(claim));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : futures) {
                    statuses.add(f.get(60, TimeUnit.SECONDS));
                }
                assertEquals(1, statuses.stream().filter(s -> s == 201 || s == 204).count(), login + " " + statuses);
                assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 204 || s == 409), login + " " + statuses);
                long holders = Db.count("SELECT (SELECT COUNT(*) FROM users WHERE uidname = ?) + (SELECT COUNT(*) FROM resellers WHERE name = ?)"
                        + " + (SELECT COUNT(*) FROM tenant_credentials WHERE login = ?)", login, login, login);
                assertEquals(1, holders, login + " " + statuses);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
