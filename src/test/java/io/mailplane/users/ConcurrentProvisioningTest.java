package io.mailplane.users;

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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConcurrentProvisioningTest {
    private static final int PARALLEL = 12;

    @Test
    void parallelCreationOfOneLoginInOneContextYieldsOneUserAndConflicts() throws Exception {
        ContextRef context = Fixtures.context();
        String login = Fixtures.unique("race") + "@" + context.domain();
        List<Integer> statuses = race(i -> Fixtures.as(context)
                .body(Map.of("name", login, "password", Fixtures.secret(), "displayName", "Racer " + i,
                        "primaryEmail", Fixtures.unique("r" + i) + "@" + context.domain()))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id()));
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(PARALLEL - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(1, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ?", login));
    }

    @Test
    void parallelCreationOfOneLoginAcrossContextsYieldsOneUserAndConflicts() throws Exception {
        ResellerRef reseller = Fixtures.reseller();
        List<ContextRef> contexts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            contexts.add(Fixtures.context(reseller));
        }
        String login = Fixtures.unique("across") + "@example.org";
        List<Integer> statuses = race(i -> {
            ContextRef context = contexts.get(i % contexts.size());
            return Fixtures.as(context)
                    .body(Map.of("name", login, "password", Fixtures.secret(), "displayName", "Racer",
                            "primaryEmail", Fixtures.unique("a" + i) + "@" + context.domain()))
                    .post("/oxaas/v1/admin/contexts/{cid}/users", context.id());
        });
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 409), statuses.toString());
        assertEquals(1, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ?", login));
    }

    @Test
    void parallelCreationOfOneContextNameYieldsOneContext() throws Exception {
        ResellerRef reseller = Fixtures.reseller();
        String name = Fixtures.unique("samectx");
        List<Integer> statuses = race(i -> Fixtures.as(reseller)
                .body(Map.of("name", name, "adminPassword", Fixtures.secret()))
                .post("/oxaas/v1/admin/contexts"));
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(PARALLEL - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(1, Db.count("SELECT COUNT(*) FROM contexts WHERE name = ?", name));
    }

    @Test
    void parallelUpdatesWithOneIfMatchLetExactlyOneWin() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String etag = Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().extract().header("ETag");
        List<Integer> statuses = race(i -> Fixtures.as(context).header("If-Match", etag)
                .body(Map.of("displayName", "Writer " + i))
                .put("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id()));
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 412 || s == 409), statuses.toString());
        assertEquals(1, Db.count("SELECT version FROM users WHERE context_id = ? AND user_id = ?", context.id(), user.id()));
    }

    /** Fires {@link #PARALLEL} requests at once and returns their statuses. */
    private static List<Integer> race(IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                Callable<Integer> call = () -> {
                    start.await();
                    return request.apply(n).statusCode();
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
