package io.mailplane.mailstats;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.FaultyImap;
import io.mailplane.testing.FaultyImap.Mode;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Mail statistics against a mail server that is down, silent or dripping: every request answers
 * within its bound (502 within the connect timeout, 504 within the read timeout or the
 * conversation's bound, 503 when this replica's IMAP places are taken), never a hang, and the
 * rest of the API stays responsive meanwhile. The service points at {@link FaultyImap}'s port.
 */
@QuarkusTest
@TestProfile(MailStatsFaultTest.BrokenMailServer.class)
class MailStatsFaultTest {
    static final long CONNECT_MS = 1_000;
    static final long READ_MS = 1_000;
    static final long CONVERSATION_MS = 3_000;
    static final long QUEUE_WAIT_MS = 200;
    static final int PLACES = 4;
    /** What a loaded machine may add to a bound (scheduling, HTTP, the user lookup). */
    static final long SLACK_MS = 1_500;
    /** The same for a burst: a hundred clients and the service share two busy cores, so an answer may wait for a thread. */
    static final long BURST_SLACK_MS = 3_000;

    public static class BrokenMailServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailplane.imap.host", MailServers.HOST,
                    "mailplane.imap.port", String.valueOf(FaultyImap.port()),
                    "mailplane.imap.master-user", "mailplane",
                    "mailplane.imap.master-password", Fixtures.secret(),
                    "mailplane.imap.connect-timeout", CONNECT_MS + "MS",
                    "mailplane.imap.read-timeout", READ_MS + "MS",
                    "mailplane.imap.conversation-timeout", CONVERSATION_MS + "MS",
                    "mailplane.imap.max-concurrent", String.valueOf(PLACES),
                    "mailplane.imap.queue-wait", QUEUE_WAIT_MS + "MS");
        }
    }

    static FaultyImap server;
    static UserRef user;
    static String tenantLogin;
    static String tenantPassword;

    @BeforeEach
    void world() {
        if (server == null) {
            server = new FaultyImap(300);
        }
        if (user != null) {
            return;
        }
        ContextRef context = Fixtures.context();
        user = Fixtures.user(context);
        tenantLogin = Fixtures.unique("tenant");
        tenantPassword = Fixtures.secret();
        Fixtures.as(context.reseller()).body(Map.of("login", tenantLogin, "password", tenantPassword))
                .put("/oxaas/v1/admin/resellers/{id}/tenant", context.reseller().id()).then().statusCode(204);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A GET of the user's statistics with the brand's tenant credentials: status, code and milliseconds. */
    record Answer(int status, String code, long millis, String body) {
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static Answer get(String path) {
        String auth = Base64.getEncoder().encodeToString((tenantLogin + ":" + tenantPassword).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Authorization", "Basic " + auth).header("Accept", "application/json").timeout(Duration.ofSeconds(60)).GET().build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;
            String body = response.body();
            java.util.regex.Matcher code = java.util.regex.Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
            return new Answer(response.statusCode(), code.find() ? code.group(1) : null, millis, body);
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    static String stats(String part) {
        return "/oxaas/v1/mail/" + user.id() + "@" + user.context().id() + "/" + part;
    }

    @Test
    void aMailServerThatIsDownAnswers502WithinTheConnectTimeout() {
        server.mode(Mode.DOWN);
        for (String part : List.of("all", "newmessages", "quota", "recentmails", "unread", "unread/inbox")) {
            Answer a = get(stats(part));
            assertEquals(502, a.status(), part + ": " + a.body());
            assertEquals("MAIL_SERVER_UNAVAILABLE", a.code(), a.body());
            assertTrue(a.millis() < CONNECT_MS + SLACK_MS, part + " took " + a.millis() + " ms");
        }
        Fixtures.as(tenantLogin, tenantPassword).get(stats("unread/inbox")).then().statusCode(502)
                .contentType("application/problem+json").body("status", equalTo(502)).body("code", equalTo("MAIL_SERVER_UNAVAILABLE"));
    }

    @Test
    void aMailServerThatAcceptsButNeverAnswersAnswers504WithinTheReadTimeout() {
        server.mode(Mode.SILENT);
        Answer a = get(stats("all"));
        assertEquals(504, a.status(), a.body());
        assertEquals("MAIL_SERVER_TIMEOUT", a.code(), a.body());
        assertTrue(a.millis() >= READ_MS - 100, "answered before the read timeout: " + a.millis() + " ms");
        assertTrue(a.millis() < READ_MS + SLACK_MS, "took " + a.millis() + " ms");
    }

    @Test
    void aMailServerThatDripsItsGreetingIsCutOffAtTheConversationBoundWith504() {
        server.mode(Mode.DRIP);
        Answer a = get(stats("unread/inbox"));
        assertEquals(504, a.status(), a.body());
        assertEquals("MAIL_SERVER_TIMEOUT", a.code(), a.body());
        assertTrue(a.millis() >= CONVERSATION_MS - 100, "answered before the bound: " + a.millis() + " ms");
        assertTrue(a.millis() < CONVERSATION_MS + SLACK_MS, "took " + a.millis() + " ms");
    }

    @Test
    void aHundredConcurrentRequestsAgainstAServerThatIsDownAllAnswerWithinTheConnectTimeoutWhileOtherEndpointsStayResponsive(
            TestReporter reporter) throws Exception {
        server.mode(Mode.DOWN);
        Burst burst = burst(100, "unread");
        assertTrue(burst.slowest() < CONNECT_MS + QUEUE_WAIT_MS + BURST_SLACK_MS, "slowest answer " + burst.slowest() + " ms; " + burst.statuses());
        assertTrue(burst.statuses().keySet().stream().allMatch(s -> s == 502 || s == 503), burst.statuses().toString());
        reporter.publishEntry("down", burst.toString());
    }

    @Test
    void aHundredConcurrentRequestsAgainstASilentServerAllAnswerWithinTheBoundWhileOtherEndpointsStayResponsive(
            TestReporter reporter) throws Exception {
        server.mode(Mode.SILENT);
        int before = server.accepted.get();
        Burst burst = burst(100, "all");
        // each place holds one conversation for the read timeout; a request waits for a place at most the queue wait
        assertTrue(burst.slowest() < READ_MS + QUEUE_WAIT_MS + BURST_SLACK_MS, "slowest answer " + burst.slowest() + " ms; " + burst.statuses());
        assertTrue(burst.statuses().keySet().stream().allMatch(s -> s == 504 || s == 503), burst.statuses().toString());
        assertTrue(burst.statuses().getOrDefault(503, 0) > 0, "the excess is refused: " + burst.statuses());
        assertTrue(server.accepted.get() - before <= 2L * PLACES + PLACES,
                "at most a few places' worth of connections reached the server: " + (server.accepted.get() - before));
        reporter.publishEntry("silent", burst.toString());
    }

    /** What a burst of statistics requests got, and how a cheap admin read fared meanwhile. */
    record Burst(Map<Integer, Integer> statuses, long slowest, List<Long> otherReads) {
    }

    /** Fires {@code n} statistics requests at once and reads a context while they run; every read must answer fast. */
    Burst burst(int n, String part) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return get(stats(part));
                }));
            }
            start.countDown();
            List<Long> reads = new ArrayList<>();
            String context = "/oxaas/v1/admin/contexts/" + user.context().id();
            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                Fixtures.as(user.context().reseller()).get(context).then().statusCode(200);
                reads.add((System.nanoTime() - started) / 1_000_000);
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            long slowest = 0;
            for (Future<Answer> f : answers) {
                Answer a = f.get(60, TimeUnit.SECONDS);
                statuses.merge(a.status(), 1, Integer::sum);
                slowest = Math.max(slowest, a.millis());
                if (a.status() == 503) {
                    assertEquals("SERVICE_UNAVAILABLE", a.code(), a.body());
                }
            }
            // the machine is shared (two cores, a hundred clients starting at once): each read answers within
            // seconds, most at once; while the stats requests hang, nothing else waits for them
            List<Long> sorted = new ArrayList<>(reads);
            Collections.sort(sorted);
            assertTrue(sorted.get(sorted.size() - 1) < 3_000 && sorted.get(sorted.size() / 2) < 500, "context reads during the burst: " + reads);
            return new Burst(statuses, slowest, reads);
        } finally {
            pool.shutdownNow();
        }
    }
}
