package io.mailplane.mailaccounts;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Mail-server verifications against servers that never answer must neither hold database
 * connections nor pile up without bound: they run in a small bulkhead (excess: 503 with
 * {@code Retry-After}), and other tenants keep being served from a deliberately tiny pool.
 * A pool that is exhausted anyway answers 503 with {@code Retry-After}, never 500.
 */
@QuarkusTest
@TestProfile(MailAccountsPoolTest.TinyPool.class)
@QuarkusTestResource(MailServerResource.class)
class MailAccountsPoolTest {
    static final int POOL = 5;
    static final int CONCURRENCY = 4;
    private static final String ACCOUNTS = "/api/2.0/mail/accounts";

    /**
     * A pool of five connections that gives up after 3 s, room for four verifications at a time,
     * and a read timeout long enough that hanging verifications last until the test ends them.
     */
    public static class TinyPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.jdbc.max-size", String.valueOf(POOL),
                    "quarkus.datasource.jdbc.min-size", String.valueOf(POOL),
                    "quarkus.datasource.jdbc.acquisition-timeout", "3S",
                    "mailplane.mailaccounts.verify.concurrency", String.valueOf(CONCURRENCY),
                    "mailplane.mailaccounts.verify.queue-wait", "200MS",
                    "mailplane.mailaccounts.verify.retry-after", "3S",
                    // a silent server holds its verifications until the test hangs up on them
                    "mailplane.mailaccounts.read-timeout", "60S");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    /** A mail server that accepts connections and never says a word; counts how many are open at once. */
    static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger mostOpen = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final List<Socket> clients = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch firstAccepted;

        SilentServer(int awaited) throws IOException {
            socket = new ServerSocket(0, 200, InetAddress.getByName(MailServers.HOST));
            firstAccepted = new CountDownLatch(awaited);
            Thread acceptor = new Thread(this::accept, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        /** Waits until {@code awaited} connections were accepted. */
        boolean awaitConnections(Duration limit) throws InterruptedException {
            return firstAccepted.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    clients.add(client);
                    accepted.incrementAndGet();
                    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    firstAccepted.countDown();
                    Thread watcher = new Thread(() -> watch(client), "silent-server-client");
                    watcher.setDaemon(true);
                    watcher.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** Reads until the client hangs up (answers nothing), then counts the connection as closed. */
        private void watch(Socket client) {
            try (client; InputStream in = client.getInputStream()) {
                while (in.read() >= 0) {
                    // swallow whatever the client sends
                }
            } catch (IOException e) {
                // the client went away
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (clients) {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    /** As {@code user}, waiting as long as a verification may hang (longer than RestAssured's default 30 s). */
    static io.restassured.specification.RequestSpecification patiently(UserRef user) {
        return Fixtures.as(user).config(io.restassured.RestAssured.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 120_000)));
    }

    static Map<String, Object> silentImap(int port) {
        Map<String, Object> body = MailAccountsTest.plainImap(MailServers.mailbox());
        body.put("port", port);
        return body;
    }

    /** Starts {@code n} calls at once on their own threads. */
    static List<Future<Response>> fire(ExecutorService pool, int n, Supplier<Response> call) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pool.submit(() -> {
                start.await();
                return call.get();
            }));
        }
        start.countDown();
        return out;
    }

    /** The durations of 100 reads of a context's users by its reseller, in milliseconds. */
    static List<Long> reads(ContextRef context, String path) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long started = System.nanoTime();
            Fixtures.as(context.reseller()).get(path).then().statusCode(200);
            out.add((System.nanoTime() - started) / 1_000_000);
        }
        return out;
    }

    static long p99(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    @Test
    void shouldKeepServingAnotherTenantWhileAHundredVerificationsHang(TestReporter reporter) throws Exception {
        UserRef verifier = MailAccountsTest.user();
        ContextRef other = Fixtures.context();
        Fixtures.user(other);
        String users = "/oxaas/v1/admin/contexts/" + other.id() + "/users";
        reads(other, users); // warms up: the reader's login is cached, the code paths compiled, as in steady use
        List<Long> quiet = reads(other, users);
        ExecutorService clients = Executors.newFixedThreadPool(100);
        CountDownLatch settled = new CountDownLatch(100 - CONCURRENCY);
        try (SilentServer silent = new SilentServer(CONCURRENCY)) {
            List<Future<Response>> burst = fire(clients, 100, () -> {
                Response r = patiently(verifier).body(silentImap(silent.port())).post(ACCOUNTS);
                settled.countDown();
                return r;
            });
            assertTrue(silent.awaitConnections(Duration.ofSeconds(20)), "the verifications reached the silent server");
            // the reads start once all but the hanging verifications are answered (refused at once, with the fix); without
            // the fix nothing is answered, as every verification hangs holding a connection: the reads then show it
            settled.await(20, TimeUnit.SECONDS);

            List<Long> reads = reads(other, users);
            // while verifications are still waiting on the silent server, the whole pool can be taken
            List<Connection> taken = new ArrayList<>();
            try {
                for (int i = 0; i < POOL; i++) {
                    taken.add(dataSource.getConnection());
                }
            } finally {
                for (Connection c : taken) {
                    c.close();
                }
            }
            assertEquals(CONCURRENCY, silent.open.get(), "the reads ran while verifications were hanging");
            silent.close(); // hang up: the waiting verifications fail at once

            int refused = 0;
            int failed = 0;
            for (Future<Response> f : burst) {
                Response r = f.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 503) {
                    refused++;
                    assertEquals("3", r.header("Retry-After"), r.asString());
                    assertTrue(r.contentType().startsWith(ContentType.JSON.toString()), r.contentType());
                    r.then().body("status", equalTo(1)).body("statusCode", equalTo(503)).body("error.code", equalTo("SERVICE_UNAVAILABLE")).body("error.message", notNullValue());
                } else {
                    assertEquals(400, r.statusCode(), r.asString());
                    r.then().body("statusCode", equalTo(400)).body("error.code", equalTo("MAIL_VERIFICATION_FAILED")).body("error.phase", equalTo("connect"));
                    failed++;
                }
            }
            assertTrue(silent.mostOpen.get() <= CONCURRENCY, "at most " + CONCURRENCY + " verifications at once, saw " + silent.mostOpen.get());
            assertTrue(refused > 0 && failed > 0, "some verifications ran, the excess was refused: " + failed + " ran, " + refused + " refused");
            // 100 ms on a machine to itself; on a crowded one (a shared CI runner) no worse than twice the same reads without the burst
            long limit = Math.max(100, 2 * p99(quiet));
            reporter.publishEntry("reads p99 ms", "quiet " + p99(quiet) + ", while verifications hang " + p99(reads) + ", limit " + limit);
            assertTrue(p99(reads) < limit, "another tenant's reads p99 " + p99(reads) + " ms, limit " + limit + " ms (quiet p99 "
                    + p99(quiet) + " ms); all: " + reads);
        } finally {
            clients.shutdownNow();
        }
        assertEquals(0, MailAccountsTest.accounts(verifier), "no account was stored");
    }

    static void assertRefused(Response r, String retryAfter) {
        assertEquals(503, r.statusCode(), r.asString());
        assertEquals(retryAfter, r.header("Retry-After"), "Retry-After");
        r.then().contentType(ContentType.JSON).body("status", equalTo(1)).body("statusCode", equalTo(503))
                .body("error.code", equalTo("SERVICE_UNAVAILABLE"));
    }

    @Test
    void shouldRefuseUpdatesEnablesAndSimpleCreatesWith503WhileEveryVerificationPlaceIsTaken() throws Exception {
        UserRef user = MailAccountsTest.user();
        MailServers.Mailbox box = MailServers.mailbox();
        Map<String, Object> settings = MailAccountsTest.plainImap(box);
        MailAccountsTest.create(user, settings);
        Map<String, Object> disable = Map.of("email", box.email(), "state", false);
        Fixtures.as(user).body(disable).put(ACCOUNTS + "/state").then().statusCode(200);
        UserRef hanging = MailAccountsTest.user();
        Snapshot before = Snapshot.take();
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        try (SilentServer silent = new SilentServer(CONCURRENCY)) {
            List<Future<Response>> held = fire(clients, CONCURRENCY, () -> patiently(hanging).body(silentImap(silent.port())).post(ACCOUNTS));
            assertTrue(silent.awaitConnections(Duration.ofSeconds(20)), "every place is taken by a hanging verification");

            assertRefused(Fixtures.as(user).body(settings).put(ACCOUNTS), "3");
            assertRefused(Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state"), "3");
            assertRefused(Fixtures.as(user).body(Map.of("email", Fixtures.unique("s") + "@" + MailServerResource.PROVIDER_DOMAIN,
                    "password", box.password())).post(ACCOUNTS + "/simple"), "3");
            assertRefused(Fixtures.as(user).body(MailAccountsTest.plainImap(MailServers.mailbox())).post(ACCOUNTS), "3");
            assertEquals(CONCURRENCY, silent.accepted.get(), "no refused request reached a mail server");
            before.assertUnchanged("a refusal changes nothing");

            silent.close();
            for (Future<Response> f : held) {
                assertEquals(400, f.get(120, TimeUnit.SECONDS).statusCode());
            }
        } finally {
            clients.shutdownNow();
        }
        // the places are free again: the same enable now verifies and succeeds
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then()
                .statusCode(200).body("response.enabled", equalTo(true));
    }

    @Test
    void shouldAnswer503WithRetryAfterInsteadOf500WhenNoDatabaseConnectionFreesUp() throws Exception {
        UserRef user = MailAccountsTest.user();
        ContextRef context = user.context();
        String users = "/oxaas/v1/admin/contexts/" + context.id() + "/users";
        // both logins are cached, so the refusal comes from the endpoints' own reads
        Fixtures.as(user).get(ACCOUNTS).then().statusCode(200);
        Fixtures.as(context.reseller()).get(users).then().statusCode(200);
        List<Connection> taken = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                taken.add(dataSource.getConnection());
            }
            assertRefused(Fixtures.as(user).get(ACCOUNTS), "2");
            Fixtures.as(context.reseller()).get(users).then()
                    .statusCode(503)
                    .header("Retry-After", "2")
                    .contentType("application/problem+json")
                    .body("code", equalTo("SERVICE_UNAVAILABLE"))
                    .body("requestId", notNullValue());
        } finally {
            for (Connection c : taken) {
                c.close();
            }
        }
        Fixtures.as(user).get(ACCOUNTS).then().statusCode(200);
    }
}
