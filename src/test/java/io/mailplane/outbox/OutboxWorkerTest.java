package io.mailplane.outbox;

import static io.mailplane.outbox.OutboxTestSupport.await;
import static io.mailplane.outbox.OutboxTestSupport.count;
import static io.mailplane.outbox.OutboxTestSupport.header;
import static io.mailplane.outbox.OutboxTestSupport.recipients;
import static io.mailplane.outbox.OutboxTestSupport.statuses;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailplane.common.MailplaneConfig;
import io.mailplane.directory.ResellerTree;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.Settings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Workers driven by the test, against the real database and real SMTP servers: this replica's
 * scheduled worker is off ({@link WorkerOff}), and each test runs {@link OutboxDelivery}s of its
 * own with its own relay settings. Two of them on one database stand for two replicas: what keeps
 * replicas apart is the database (the claim's {@code FOR UPDATE SKIP LOCKED} and the claim token),
 * and each delivery claims in its own transactions on its own pooled connections, as a second
 * JVM would. (A second Quarkus process would need a packaged jar, which the test build does not make.)
 */
@QuarkusTest
@TestProfile(OutboxWorkerTest.WorkerOff.class)
@QuarkusTestResource(MailServerResource.class)
class OutboxWorkerTest {
    public static class WorkerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailplane.outbox.enabled", "false");
        }
    }

    @Inject
    Outbox outbox;
    @Inject
    OutboxRepository repository;
    @Inject
    ResellerTree tree;
    @Inject
    OutboxMetrics metrics;

    private OutboxDelivery delivery(int port, Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of("mailplane.smtp.host", MailServers.HOST, "mailplane.smtp.port", String.valueOf(port),
                "mailplane.smtp.from", "Mailplane <noreply@mailplane.test>", "mailplane.smtp.connect-timeout", "2S",
                "mailplane.smtp.read-timeout", "5S", "mailplane.outbox.backoff-base", "20ms", "mailplane.outbox.backoff-max", "200ms"));
        values.putAll(more);
        MailplaneConfig config = Settings.of(values);
        return new OutboxDelivery(repository, tree, new SmtpRelay(config.smtp()), config, metrics);
    }

    private List<Long> enqueue(long resellerId, String domain, int n) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(outbox.enqueue(new OutgoingMail(resellerId, null, null, "welcome", "u" + i + "@" + domain, null,
                        "Welcome " + i, "Hello " + i, null)));
            }
            return ids;
        });
    }

    /** Runs the delivery every 10 ms on a thread of its own until closed. */
    private static ScheduledExecutorService running(OutboxDelivery delivery) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        s.scheduleWithFixedDelay(delivery::runOnce, 0, 10, TimeUnit.MILLISECONDS);
        return s;
    }

    private static void stop(ScheduledExecutorService s) throws InterruptedException {
        s.shutdown();
        assertTrue(s.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void mailsQueuedWhileTheRelayIsDownAllArriveExactlyOnceWhenItComesUp() throws Exception {
        int port = MailServers.closedPort();
        String domain = unique("down") + ".example";
        String like = "%@" + domain;
        OutboxDelivery delivery = delivery(port, Map.of("mailplane.outbox.max-attempts", "1000"));
        List<Long> ids = enqueue(Fixtures.reseller().id(), domain, 100);
        assertEquals(100, count(like, "queued"));

        ScheduledExecutorService worker = running(delivery);
        GreenMail relay = null;
        try {
            // every mail was tried, and is still queued (with the reason), none lost or failed
            await("every mail was tried against the closed port", Duration.ofSeconds(60),
                    () -> Db.count("SELECT COUNT(*) FROM notification_outbox WHERE recipient LIKE ? AND attempts >= 2 "
                            + "AND last_error IS NOT NULL AND status IN ('queued', 'sending')", like) == 100, () -> statuses(like));
            assertEquals(0, count(like, "sent") + count(like, "failed"));
            assertTrue(Db.string("SELECT MIN(last_error) FROM notification_outbox WHERE recipient LIKE ?", like).contains("onnect"),
                    Db.string("SELECT MIN(last_error) FROM notification_outbox WHERE recipient LIKE ?", like));

            relay = new GreenMail(new ServerSetup(port, MailServers.HOST, ServerSetup.PROTOCOL_SMTP));
            relay.start();
            GreenMail up = relay;
            await("all 100 mails were sent", Duration.ofSeconds(60), () -> count(like, "sent") == 100, () -> statuses(like));
            stop(worker);
            MimeMessage[] received = up.getReceivedMessagesForDomain(domain);
            List<String> to = recipients(received);
            assertEquals(100, to.size(), "mails received: " + to);
            assertEquals(100, new HashSet<>(to).size(), "a mail arrived twice: " + to);
            Set<String> messageIds = new HashSet<>();
            for (MimeMessage m : received) {
                messageIds.add(header(m, "Message-ID"));
            }
            assertEquals(Set.of(Db.string("SELECT GROUP_CONCAT(message_id SEPARATOR ' ') FROM notification_outbox WHERE recipient LIKE ?", like)
                    .split(" ")), messageIds);
            assertEquals(100, ids.size());
        } finally {
            if (!worker.isShutdown()) {
                stop(worker);
            }
            if (relay != null) {
                relay.stop();
            }
        }
    }

    @Test
    void aMailTheRelayRejectsWith5xxEndsFailedAfterTheRetryLimitAndOperatorsSeeWhy() throws Exception {
        ResellerRef brand = Fixtures.reseller();
        String domain = unique("rejected") + ".example";
        try (SmtpRejectingRelay relay = new SmtpRejectingRelay()) {
            OutboxDelivery delivery = delivery(relay.port(), Map.of("mailplane.outbox.max-attempts", "3"));
            long id = enqueue(brand.id(), domain, 1).get(0);
            ScheduledExecutorService worker = running(delivery);
            try {
                await("the mail failed for good", Duration.ofSeconds(30),
                        () -> "failed".equals(OutboxTestSupport.status(id)), () -> OutboxTestSupport.status(id));
            } finally {
                stop(worker);
            }
            assertEquals(3, relay.rejections(), "one rejected attempt per allowed attempt");
            assertEquals(3, Db.count("SELECT attempts FROM notification_outbox WHERE id = ?", id));
            Fixtures.as(brand).queryParam("status", "failed").get("/oxaas/v1/admin/notification/outbox").then().statusCode(200)
                    .body("find { it.id == " + id + " }.attempts", equalTo(3))
                    .body("find { it.id == " + id + " }.lastError", containsString("554"));
        }
    }

    @Test
    void twoReplicasDrainOneOutboxOf500MailsAndEveryMailArrivesExactlyOnce() throws Exception {
        String domain = unique("replicas") + ".example";
        String like = "%@" + domain;
        enqueue(Fixtures.reseller().id(), domain, 500);
        List<OutboxDelivery> replicas = List.of(delivery(MailServers.smtp(), Map.of("mailplane.outbox.batch-size", "10")),
                delivery(MailServers.smtp(), Map.of("mailplane.outbox.batch-size", "10")));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> claimed = new ArrayList<>();
        for (OutboxDelivery replica : replicas) {
            claimed.add(threads.submit(() -> {
                start.await();
                int total = 0;
                while (count(like, "sent") < 500) {
                    total += replica.runOnce();
                }
                return total;
            }));
        }
        start.countDown();
        threads.shutdown();
        assertTrue(threads.awaitTermination(120, TimeUnit.SECONDS), "the replicas did not drain the outbox: " + statuses(like));
        int first = claimed.get(0).get();
        int second = claimed.get(1).get();
        assertTrue(first > 0 && second > 0, "both replicas sent mails: " + first + " and " + second);

        List<String> to = recipients(MailServers.get().getReceivedMessagesForDomain(domain));
        assertEquals(500, to.size());
        assertEquals(500, new HashSet<>(to).size(), "a mail arrived twice");
        // each row was claimed once: one attempt each
        assertEquals(500, Db.count("SELECT COUNT(*) FROM notification_outbox WHERE recipient LIKE ? AND attempts = 1 AND status = 'sent'", like));
    }

    @Test
    void aBrandsSenderOverridesTheDefaultAlsoForItsSubBrands() throws Exception {
        ResellerRef brand = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(brand);
        String domain = unique("brand") + ".example";
        OutboxDelivery delivery = delivery(MailServers.smtp(),
                Map.of("mailplane.smtp.brand-from.\"" + brand.brand() + "\"", "Brand Team <team@brand.example>"));
        long ofSub = enqueue(sub.id(), domain, 1).get(0);
        delivery.runOnce();
        await("the mail arrived", Duration.ofSeconds(20), () -> MailServers.get().getReceivedMessagesForDomain(domain).length == 1,
                () -> OutboxTestSupport.status(ofSub));
        MimeMessage m = MailServers.get().getReceivedMessagesForDomain(domain)[0];
        assertEquals("Brand Team <team@brand.example>", header(m, "From"));
        assertTrue(header(m, "Message-ID").endsWith("@brand.example>"), header(m, "Message-ID"));
    }

    @Test
    void withStarttlsRequiredARelayWithoutStarttlsGetsNoMailAndTheMailStaysQueuedForRetries() {
        String domain = unique("nostarttls") + ".example";
        // GreenMail's plain SMTP port offers no STARTTLS: the relay must not fall back to the clear
        OutboxDelivery delivery = delivery(MailServers.smtp(), Map.of("mailplane.smtp.tls", "starttls",
                "mailplane.outbox.max-attempts", "5"));
        long id = enqueue(Fixtures.reseller().id(), domain, 1).get(0);
        delivery.runOnce();
        assertEquals("queued", OutboxTestSupport.status(id));
        assertEquals(1, Db.count("SELECT attempts FROM notification_outbox WHERE id = ?", id));
        assertTrue(Db.string("SELECT last_error FROM notification_outbox WHERE id = ?", id).contains("STARTTLS"),
                Db.string("SELECT last_error FROM notification_outbox WHERE id = ?", id));
        await("a second attempt after the backoff", Duration.ofSeconds(20), () -> {
            delivery.runOnce();
            return Db.count("SELECT attempts FROM notification_outbox WHERE id = ?", id) >= 2;
        }, () -> OutboxTestSupport.status(id));
        assertEquals("queued", OutboxTestSupport.status(id));
        assertEquals(0, MailServers.get().getReceivedMessagesForDomain(domain).length, "nothing was sent in the clear");
    }

    @Test
    void theRelayPasswordNeverShowsInTheRecordedError() {
        String password = "Relay-" + Fixtures.secret();
        String domain = unique("auth") + ".example";
        OutboxDelivery delivery = delivery(MailServers.smtp(), Map.of("mailplane.smtp.user", "nobody-" + password,
                "mailplane.smtp.password", password, "mailplane.outbox.max-attempts", "1"));
        long id = enqueue(Fixtures.reseller().id(), domain, 1).get(0);
        delivery.runOnce();
        await("the mail failed", Duration.ofSeconds(20), () -> "failed".equals(OutboxTestSupport.status(id)), () -> OutboxTestSupport.status(id));
        String error = Db.string("SELECT last_error FROM notification_outbox WHERE id = ?", id);
        assertFalse(error.contains(password), error);
        assertTrue(error.length() <= 500);
    }
}
