package io.mailplane.mailstats;

import static io.mailplane.testing.Fixtures.anonymous;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mailplane.mailstats.TestMailboxes.Append;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailStack;
import io.mailplane.testing.MailStackImapResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * OX mail statistics against the test's own Dovecot and Postfix ({@link MailStack}): users are
 * created over REST (so Dovecot finds them through Mailplane's views), mails arrive over SMTP
 * through Postfix or are placed with IMAP APPEND, and the brand's tenant credentials read them.
 */
@QuarkusTest
@QuarkusTestResource(MailStackImapResource.class)
class MailStatsTest {
    /** How long a delivered mail may take to show (Postfix → LMTP → Dovecot), on a loaded machine. */
    static final Duration ARRIVAL = Duration.ofSeconds(20);

    /** A user with a mailbox, and the brand's tenant credentials that may read its statistics. */
    record Mailbox(UserRef user, long quotaMb, String tenantLogin, String tenantPassword) {
        String usercontext() {
            return user.id() + "@" + user.context().id();
        }

        RequestSpecification asTenant() {
            return Fixtures.as(tenantLogin, tenantPassword);
        }

        JsonPath get(String part) {
            return asTenant().get("/oxaas/v1/mail/{uid}/" + part, usercontext()).then().statusCode(200)
                    .contentType("application/json").extract().jsonPath();
        }
    }

    static Mailbox mailbox(long quotaMb) {
        ContextRef context = Fixtures.context();
        String local = Fixtures.unique("mb");
        String address = local + "@" + context.domain();
        String password = Fixtures.secret();
        int id = Fixtures.as(context).body(Map.of("name", address, "password", password, "displayName", "Mailbox " + local,
                        "primaryEmail", address, "quotaMb", quotaMb))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id()).then().statusCode(201).extract().jsonPath().getInt("id");
        String tenantLogin = Fixtures.unique("tenant");
        String tenantPassword = Fixtures.secret();
        Fixtures.as(context.reseller()).body(Map.of("login", tenantLogin, "password", tenantPassword))
                .put("/oxaas/v1/admin/resellers/{id}/tenant", context.reseller().id()).then().statusCode(204);
        return new Mailbox(new UserRef(id, address, password, address, context), quotaMb, tenantLogin, tenantPassword);
    }

    /** Asks {@code part} until its answer satisfies {@code done}, at most {@link #ARRIVAL}; the last answer. */
    static JsonPath await(Mailbox box, String part, Predicate<JsonPath> done) {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        JsonPath last = box.get(part);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail(part + " of " + box.user().email() + " did not change within " + ARRIVAL + ": " + last.prettify());
            }
            last = box.get(part);
        }
        return last;
    }

    @Test
    void aMailSentOverSmtpIsOneUnreadInboxMailAndTheMostRecentMail() throws Exception {
        Mailbox box = mailbox(100);
        assertEquals(0, box.get("unread/inbox").getInt("newmessages"), "a new mailbox is empty");
        TestMailboxes.sendOverSmtp(new InternetAddress("sender@external.example.net", "Grüße Sender", "UTF-8"), box.user().email(), "Quarterly report – Q3", "Numbers inside.");

        await(box, "unread/inbox", j -> j.getInt("newmessages") == 1);
        assertEquals(1, box.get("unread").getInt("newmessages"), "unread in all folders");
        JsonPath recent = box.get("recentmails");
        assertEquals(1, recent.getList("$").size(), recent.prettify());
        assertEquals("Quarterly report – Q3", recent.getString("[0].subject"));
        assertEquals("\"Grüße Sender\" <sender@external.example.net>", recent.getString("[0].from"), "decoded, quoted as in a header");
        assertEquals(false, recent.getBoolean("[0].seen"));
        assertTrue(recent.getLong("[0].size") > 0, recent.prettify());
        assertTrue(Instant.parse(recent.getString("[0].received")).isAfter(Instant.now().minusSeconds(600)), recent.prettify());
    }

    @Test
    void theQuotaIsTheUsersQuotaMbInKibAndWhatTheMailsUse() throws Exception {
        Mailbox box = mailbox(100);
        box.asTenant().get("/oxaas/v1/mail/{uid}/quota", box.usercontext()).then().statusCode(200)
                .body("mailQuota.limit", equalTo(100 * 1024)).body("mailQuota.usage", equalTo(0));
        TestMailboxes.append(box.user().email(), new Append("INBOX", "x".repeat(50), Instant.now(), false));
        JsonPath quota = box.get("quota");
        assertEquals(102_400, quota.getLong("mailQuota.limit"));
        assertTrue(quota.getLong("mailQuota.usage") >= 0, quota.prettify());
    }

    @Test
    void allAnswersEveryStatisticFromOneSession() throws Exception {
        Mailbox box = mailbox(250);
        Instant now = Instant.now();
        TestMailboxes.append(box.user().email(),
                new Append("INBOX", "old and read", now.minusSeconds(7_200), true),
                new Append("INBOX", "old", now.minusSeconds(5_400), false),
                new Append("INBOX", "m3", now.minusSeconds(600), false),
                new Append("INBOX", "m4", now.minusSeconds(500), true),
                new Append("INBOX", "m5", now.minusSeconds(400), false),
                new Append("INBOX", "m6", now.minusSeconds(300), false),
                new Append("INBOX", "newest", now.minusSeconds(200), false),
                new Append("Archive", "archived", now.minusSeconds(9_000), false),
                new Append("Archive", "archived and read", now.minusSeconds(9_000), true),
                new Append("Projects/Alpha", "deep", now.minusSeconds(100), false));
        // Dovecot recorded a mail login an hour ago
        Db.update("INSERT INTO mail_last_login (username, last_login) VALUES (?, ?)", box.user().email().toLowerCase(),
                now.minusSeconds(3_600).getEpochSecond());

        JsonPath all = box.get("all");
        assertEquals(List.of("newest", "m6", "m5", "m4", "m3"), all.getList("recentmails.subject"), all.prettify());
        assertEquals(List.of(false, false, false, true, false), all.getList("recentmails.seen"));
        assertEquals(250 * 1024, all.getLong("quota.limit"));
        assertEquals(5, all.getInt("newmessages.newmessages"), "INBOX mails since the mail login an hour ago");
        assertEquals(5 + 1 + 1, all.getInt("recentmessages.unread"), "INBOX 5, Archive 1, Projects/Alpha 1");
        assertEquals(5, all.getInt("recentmessages.unreadInbox"));
        assertEquals(7, all.getInt("recentmessages.total"));
        // each part agrees with its own endpoint
        assertEquals(all.getList("recentmails"), box.get("recentmails").getList("$"));
        assertEquals(all.getMap("quota"), box.get("quota").getMap("mailQuota"));
        assertEquals(all.getInt("newmessages.newmessages"), box.get("newmessages").getInt("newmessages"));
        assertEquals(all.getInt("recentmessages.unread"), box.get("unread").getInt("newmessages"));
        assertEquals(all.getInt("recentmessages.unreadInbox"), box.get("unread/inbox").getInt("newmessages"));
    }

    @Test
    void newMessagesAreInboxMailsSinceTheLastMailLoginElseSinceTheLastApiLoginElseAll() throws Exception {
        Mailbox box = mailbox(100);
        Instant now = Instant.now();
        TestMailboxes.append(box.user().email(),
                new Append("INBOX", "two hours ago", now.minusSeconds(7_200), false),
                new Append("INBOX", "an hour ago", now.minusSeconds(3_600), true),
                new Append("INBOX", "ten minutes ago", now.minusSeconds(600), false),
                new Append("Archive", "not in INBOX", now.minusSeconds(60), false));
        assertEquals(3, box.get("newmessages").getInt("newmessages"), "never logged in: every INBOX mail is new");

        // signed in over the API (ONLYOFFICE sign-in) now: the mails all came before
        anonymous().body(Map.of("userName", box.user().name(), "password", box.user().password()))
                .post("/api/2.0/authentication").then().statusCode(201);
        assertEquals(0, box.get("newmessages").getInt("newmessages"), "nothing new since the API sign-in");

        // a mail login recorded by Dovecot wins over the API's
        Db.update("INSERT INTO mail_last_login (username, last_login) VALUES (?, ?)", box.user().email().toLowerCase(),
                now.minusSeconds(5_400).getEpochSecond());
        assertEquals(2, box.get("newmessages").getInt("newmessages"), "since the mail login 90 minutes ago");
    }

    @Test
    void readingStatisticsMarksNoMailAsReadAndIsNoLoginOfTheUser() throws Exception {
        Mailbox box = mailbox(100);
        TestMailboxes.append(box.user().email(), new Append("INBOX", "unread", Instant.now().minusSeconds(60), false));
        for (String part : List.of("all", "recentmails", "newmessages", "unread", "unread/inbox", "quota")) {
            box.get(part);
        }
        JsonPath all = box.get("all");
        assertEquals(false, all.getBoolean("recentmails[0].seen"));
        assertEquals(1, all.getInt("recentmessages.unreadInbox"));
        assertEquals(1, all.getInt("newmessages.newmessages"), "the service's own logins are not the user's");
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_last_login WHERE username = ?", box.user().email().toLowerCase()),
                "Dovecot recorded no login of the user for the service's master-user logins");
    }

    @Test
    void theUsersLoginNamesTheMailboxLikeUseridAtContext() throws Exception {
        Mailbox box = mailbox(100);
        TestMailboxes.append(box.user().email(), new Append("INBOX", "hello", Instant.now(), false));
        box.asTenant().get("/oxaas/v1/mail/{uid}/unread/inbox", box.user().name()).then().statusCode(200).body("newmessages", equalTo(1));
        box.asTenant().get("/oxaas/v1/mail/{uid}/unread/inbox", box.user().id() + "@" + box.user().context().name())
                .then().statusCode(200).body("newmessages", equalTo(1));
        // the brand's reseller may read it too; another brand's tenant may not even learn it exists
        Fixtures.as(box.user().context().reseller()).get("/oxaas/v1/mail/{uid}/unread/inbox", box.usercontext())
                .then().statusCode(200).body("newmessages", equalTo(1));
        Mailbox stranger = mailbox(100);
        stranger.asTenant().get("/oxaas/v1/mail/{uid}/unread/inbox", box.user().name()).then().statusCode(404)
                .body("code", equalTo("USER_NOT_FOUND"));
        stranger.asTenant().get("/oxaas/v1/mail/{uid}/all", box.usercontext()).then().statusCode(404)
                .body("code", equalTo("CONTEXT_NOT_FOUND"));
    }

    @Test
    void anEmptyMailboxAnswersZerosAndNoMails() {
        Mailbox box = mailbox(100);
        JsonPath all = box.get("all");
        assertEquals(List.of(), all.getList("recentmails"));
        assertEquals(0, all.getInt("newmessages.newmessages"));
        assertEquals(0, all.getInt("recentmessages.unread"));
        assertEquals(0, all.getInt("recentmessages.total"));
        assertEquals(100 * 1024, all.getInt("quota.limit"));
    }

    @Test
    void aDeletedUsersStatisticsAre404() {
        Mailbox box = mailbox(100);
        box.get("unread/inbox");
        Fixtures.as(box.user().context()).delete("/oxaas/v1/admin/contexts/{cid}/users/{uid}", box.user().context().id(), box.user().id())
                .then().statusCode(204);
        box.asTenant().get("/oxaas/v1/mail/{uid}/unread/inbox", box.usercontext()).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
    }

    @Test
    void aHundredConcurrentRequestsWhileDovecotIsStoppedAllAnswer502WithinTheConnectTimeoutAndOtherEndpointsStayResponsive(
            TestReporter reporter) throws Exception {
        Mailbox box = mailbox(100);
        box.get("unread/inbox");
        MailStack stack = MailStack.get();
        stack.stopDovecot();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    long started = System.nanoTime();
                    Response r = box.asTenant().get("/oxaas/v1/mail/{uid}/all", box.usercontext());
                    return new long[] {r.statusCode(), (System.nanoTime() - started) / 1_000_000};
                }));
            }
            start.countDown();
            List<Long> reads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long started = System.nanoTime();
                Fixtures.as(box.user().context()).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", box.user().context().id(), box.user().id())
                        .then().statusCode(200);
                reads.add((System.nanoTime() - started) / 1_000_000);
            }
            Map<Long, Integer> statuses = new TreeMap<>();
            long slowest = 0;
            for (Future<long[]> f : answers) {
                long[] a = f.get(60, TimeUnit.SECONDS);
                statuses.merge(a[0], 1, Integer::sum);
                slowest = Math.max(slowest, a[1]);
            }
            reporter.publishEntry("Dovecot stopped", "statuses " + statuses + ", slowest " + slowest + " ms, reads " + reads);
            assertTrue(statuses.keySet().stream().allMatch(s -> s == 502 || s == 503), statuses.toString());
            assertTrue(statuses.getOrDefault(502L, 0) > 0, statuses.toString());
            // the test profile's connect timeout is 2 s; a refused connection answers at once
            assertTrue(slowest < 2_000 + 2_000, "slowest answer " + slowest + " ms");
            // the machine is shared: each read answers within seconds, most at once
            List<Long> sorted = new ArrayList<>(reads);
            Collections.sort(sorted);
            assertTrue(sorted.get(sorted.size() - 1) < 3_000 && sorted.get(sorted.size() / 2) < 500, "user reads during the burst: " + reads);
            box.asTenant().get("/oxaas/v1/mail/{uid}/quota", box.usercontext()).then().statusCode(502)
                    .contentType("application/problem+json").body("code", equalTo("MAIL_SERVER_UNAVAILABLE"));
        } finally {
            pool.shutdownNow();
            stack.startDovecot();
        }
        box.get("unread/inbox");
    }

    @Test
    void deliveryOverSmtpIsVisibleInTheStatisticsSoonAfterPostfixAcceptsIt(TestReporter reporter) throws Exception {
        Mailbox box = mailbox(100);
        box.get("unread/inbox");
        long started = System.nanoTime();
        TestMailboxes.sendOverSmtp(new InternetAddress("sender@external.example.net"), box.user().email(), "timed", "tick");
        long accepted = System.nanoTime();
        await(box, "unread/inbox", j -> j.getInt("newmessages") == 1);
        long visible = System.nanoTime();
        reporter.publishEntry("delivery", "SMTP accepted after " + (accepted - started) / 1_000_000 + " ms, visible in stats "
                + (visible - accepted) / 1_000_000 + " ms after the accept");
    }
}
