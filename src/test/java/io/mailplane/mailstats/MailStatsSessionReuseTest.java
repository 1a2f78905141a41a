package io.mailplane.mailstats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.mailstats.MailStatsTest.Mailbox;
import io.mailplane.mailstats.TestMailboxes.Append;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.MailStack;
import io.mailplane.testing.MailStackImapResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Mail statistics reuse a logged-in IMAP session of the mailbox ({@link ImapSessionPool}) against
 * the test's own Dovecot: one Dovecot login serves consecutive requests (counted in Dovecot's log
 * and in the service's metrics), a reused session still sees what arrived since, a session that
 * died under the pool is replaced within the request, and a changed account's sessions end.
 */
@QuarkusTest
@QuarkusTestResource(MailStackImapResource.class)
class MailStatsSessionReuseTest {
    /** How long after the response Dovecot's log process may write a login's line. */
    static final Duration LOG_SETTLES = Duration.ofMillis(500);

    @Inject
    MeterRegistry registry;

    /** The master-user logins Dovecot logged into the mailbox of {@code address}. */
    static long dovecotLogins(String address) {
        return dovecotLog().stream().filter(l -> l.contains("Login: user=<" + address.toLowerCase() + ">")).count();
    }

    /** Whether Dovecot logged an IMAP session of {@code address} ending with LOGOUT. */
    static boolean dovecotLoggedOut(String address) {
        return dovecotLog().stream().anyMatch(l -> l.contains("imap(" + address.toLowerCase() + ")") && l.contains("Logged out"));
    }

    static List<String> dovecotLog() {
        try {
            return Files.readAllLines(MailStack.get().root().resolve("dovecot/dovecot.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that Dovecot logged exactly {@code expected} logins of {@code address}, and no more arrive while the log settles. */
    static void assertDovecotLogins(long expected, String address) {
        Awaitility.await("Dovecot logins of " + address).atMost(Duration.ofSeconds(10)).during(LOG_SETTLES)
                .until(() -> dovecotLogins(address) == expected);
    }

    double sessions(String login) {
        Counter counter = registry.find("mailplane.imap.sessions").tag("login", login).counter();
        return counter == null ? 0 : counter.count();
    }

    double stale() {
        Counter counter = registry.find("mailplane.imap.sessions.stale").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void consecutiveStatisticsRequestsOfAUserCostOneDovecotLoginAndAnswerTheMailbox() throws Exception {
        Mailbox box = MailStatsTest.mailbox(100);
        String address = box.user().email();
        TestMailboxes.sendOverSmtp(new InternetAddress("sender@external.example.net"), address, "pooled", "one session");
        double fresh = sessions("fresh");
        double reused = sessions("reused");

        MailStatsTest.await(box, "unread/inbox", j -> j.getInt("newmessages") == 1);
        JsonPath all = box.get("all");
        assertEquals(1, all.getInt("recentmessages.unread"), all.prettify());
        assertEquals(1, all.getInt("recentmessages.total"), all.prettify());
        assertEquals(List.of("pooled"), all.getList("recentmails.subject"));
        assertEquals(1, box.get("unread/inbox").getInt("newmessages"));

        assertDovecotLogins(1, address);
        assertEquals(fresh + 1, sessions("fresh"), "one login for all the requests");
        assertEquals(true, sessions("reused") >= reused + 2, "the requests after the first reused its session");
    }

    @Test
    void aMailThatArrivedBetweenTwoRequestsIsCountedByTheSecondOnTheReusedSession() throws Exception {
        Mailbox box = MailStatsTest.mailbox(100);
        String address = box.user().email();
        Instant now = Instant.now();
        TestMailboxes.append(address, new Append("INBOX", "first", now.minusSeconds(300), false));
        JsonPath before = box.get("all");
        assertEquals(1, before.getInt("recentmessages.total"), before.prettify());
        assertEquals(1, before.getInt("recentmessages.unreadInbox"));
        double reused = sessions("reused");

        // placed while the service's session waits in the pool (with INBOX no longer selected)
        TestMailboxes.append(address, new Append("INBOX", "second", now.minusSeconds(60), false),
                new Append("Archive", "archived", now.minusSeconds(60), false));
        JsonPath after = box.get("all");
        assertEquals(reused + 1, sessions("reused"), "the second request reused the first one's session");
        assertEquals(2, after.getInt("recentmessages.total"), after.prettify());
        assertEquals(2, after.getInt("recentmessages.unreadInbox"));
        assertEquals(3, after.getInt("recentmessages.unread"), "INBOX 2, Archive 1");
        assertEquals(List.of("second", "first"), after.getList("recentmails.subject"));
        assertEquals(2, box.get("unread/inbox").getInt("newmessages"), "STATUS on the reused session sees them too");
    }

    @Test
    void aPooledSessionThatDovecotEndedIsReplacedWithinTheRequest() throws Exception {
        Mailbox box = MailStatsTest.mailbox(100);
        TestMailboxes.append(box.user().email(), new Append("INBOX", "kept", Instant.now().minusSeconds(60), false));
        assertEquals(1, box.get("unread/inbox").getInt("newmessages"));
        // Dovecot says BYE and closes the session waiting in the pool
        MailStack.get().kick(box.user().email().toLowerCase());
        double fresh = sessions("fresh");
        double stale = stale();

        JsonPath all = box.get("all");
        assertEquals(1, all.getInt("recentmessages.unreadInbox"), all.prettify());
        assertEquals(List.of("kept"), all.getList("recentmails.subject"));
        assertEquals(stale + 1, stale(), "the pooled session was found dead");
        assertEquals(fresh + 1, sessions("fresh"), "and the request logged in afresh");
        assertEquals(1, box.get("unread/inbox").getInt("newmessages"), "the new session serves the next request");
    }

    @Test
    void pooledSessionsThatDiedWithARestartedDovecotAreReplacedWithinTheRequest() throws Exception {
        Mailbox box = MailStatsTest.mailbox(100);
        assertEquals(0, box.get("unread/inbox").getInt("newmessages"));
        MailStack stack = MailStack.get();
        stack.stopDovecot();
        stack.startDovecot();
        double stale = stale();
        assertEquals(0, box.get("all").getInt("recentmessages.total"));
        assertEquals(stale + 1, stale(), "the pooled session was found dead and replaced");
    }

    @Test
    void aDeletedUsersPooledSessionIsLoggedOutAtOnce() {
        Mailbox box = MailStatsTest.mailbox(100);
        box.get("unread/inbox");
        Fixtures.as(box.user().context()).delete("/oxaas/v1/admin/contexts/{cid}/users/{uid}", box.user().context().id(), box.user().id())
                .then().statusCode(204);
        // well before the session's idle timeout (30 s)
        Awaitility.await("LOGOUT of " + box.user().email()).atMost(Duration.ofSeconds(10)).until(() -> dovecotLoggedOut(box.user().email()));
    }

    @Test
    void aUserWhosePrimaryAddressChangesHasTheOldMailboxsSessionLoggedOutAndReadsTheNewOne() {
        Mailbox box = MailStatsTest.mailbox(100);
        String old = box.user().email();
        box.get("unread/inbox");
        String renamed = Fixtures.unique("renamed") + "@" + box.user().context().domain();
        Fixtures.as(box.user().context()).body(Map.of("primaryEmail", renamed))
                .put("/oxaas/v1/admin/contexts/{cid}/users/{uid}", box.user().context().id(), box.user().id()).then().statusCode(200);
        Awaitility.await("LOGOUT of " + old).atMost(Duration.ofSeconds(10)).until(() -> dovecotLoggedOut(old));
        assertEquals(0, box.get("unread/inbox").getInt("newmessages"));
        assertDovecotLogins(1, renamed);
    }
}
