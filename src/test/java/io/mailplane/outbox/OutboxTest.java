package io.mailplane.outbox;

import static io.mailplane.outbox.OutboxTestSupport.await;
import static io.mailplane.outbox.OutboxTestSupport.header;
import static io.mailplane.outbox.OutboxTestSupport.row;
import static io.mailplane.outbox.OutboxTestSupport.status;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.Snapshot;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.transaction.TransactionalException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The outbox with this replica's scheduled worker and the in-process GreenMail as relay: queued
 * mails arrive once, with their stable Message-ID; operators list, retry and cancel.
 */
@QuarkusTest
@QuarkusTestResource(MailServerResource.class)
class OutboxTest {
    private static final String OUTBOX = "/oxaas/v1/admin/notification/outbox";

    @Inject
    Outbox outbox;

    @Test
    void aQueuedMailArrivesOnceWithItsStableMessageIdAndIsRecordedAsSent() throws Exception {
        ResellerRef brand = Fixtures.reseller();
        String domain = unique("arrive") + ".example";
        String to = "jo@" + domain;
        long id = QuarkusTransaction.requiringNew().call(() -> outbox.enqueue(new OutgoingMail(brand.id(), null, null, "welcome",
                to, null, "Welcome, Jo", "Hello Jo", "<p>Hello <b>Jo</b></p>")));

        await("the mail arrived and is recorded", Duration.ofSeconds(20),
                () -> MailServers.get().getReceivedMessagesForDomain(domain).length == 1 && "sent".equals(status(id)), () -> status(id));
        MimeMessage mail = MailServers.get().getReceivedMessagesForDomain(domain)[0];
        String messageId = Db.string("SELECT message_id FROM notification_outbox WHERE id = ?", id);
        assertEquals(messageId, header(mail, "Message-ID"));
        assertTrue(messageId.matches("<outbox-" + id + "\\.[A-Za-z0-9_-]{24}@mailplane\\.test>"), messageId);
        assertEquals("Mailplane <noreply@mailplane.test>", header(mail, "From"));
        assertEquals(to, header(mail, "To"));
        assertEquals("Welcome, Jo", mail.getSubject());
        assertEquals("auto-generated", header(mail, "Auto-Submitted"));
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertEquals("Hello Jo", parts.getBodyPart(0).getContent().toString().trim());
        assertEquals("<p>Hello <b>Jo</b></p>", parts.getBodyPart(1).getContent().toString().trim());
        assertEquals(1, Db.count("SELECT attempts FROM notification_outbox WHERE id = ?", id));

        Fixtures.as(brand).queryParam("status", "sent").get(OUTBOX).then().statusCode(200)
                .body("find { it.id == " + id + " }.recipient", equalTo(to))
                .body("find { it.id == " + id + " }.messageId", equalTo(messageId))
                .body("find { it.id == " + id + " }.text", equalTo("Hello Jo"));
    }

    @Test
    void aMailOfATransactionThatRollsBackIsNeitherQueuedNorSent() {
        String to = "rollback@" + unique("rb") + ".example";
        long brand = Fixtures.reseller().id();
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.enqueue(new OutgoingMail(brand, null, null, "welcome", to, null, "S", "T", null));
            throw new IllegalStateException("the request fails after queueing its mail");
        }));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM notification_outbox WHERE recipient = ?", to));
    }

    @Test
    void enqueueingOutsideATransactionIsRefused() {
        assertThrows(TransactionalException.class,
                () -> outbox.enqueue(new OutgoingMail(1, null, null, "welcome", "x@example.org", null, "S", "T", null)));
    }

    @Test
    void aResellerSeesTheMailsOfItsTreeOnlyAndTheMasterSeesAll() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        ResellerRef stranger = Fixtures.reseller();
        long ofParent = row(parent.id(), "failed", false, "p@" + unique("v") + ".example");
        long ofSub = row(sub.id(), "failed", false, "s@" + unique("v") + ".example");
        long ofStranger = row(stranger.id(), "failed", false, "x@" + unique("v") + ".example");
        Fixtures.as(parent).queryParam("status", "failed").queryParam("limit", 1000).get(OUTBOX).then().statusCode(200)
                .body("id", hasItem((int) ofParent)).body("id", hasItem((int) ofSub)).body("id", not(hasItem((int) ofStranger)))
                .body("status", everyItem(equalTo("failed")));
        Fixtures.as(sub).get(OUTBOX).then().statusCode(200)
                .body("id", hasItem((int) ofSub)).body("id", not(hasItem((int) ofParent)));
        Fixtures.asMaster().queryParam("status", "failed").queryParam("limit", 1000).get(OUTBOX).then().statusCode(200)
                .body("id", hasItem((int) ofStranger)).body("id", hasItem((int) ofSub));
        Fixtures.as(parent).queryParam("status", "delivered").get(OUTBOX).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void aFailedMailRetriedByAnOperatorIsSentAgain() {
        ResellerRef brand = Fixtures.reseller();
        String domain = unique("retry") + ".example";
        long id = row(brand.id(), "failed", false, "again@" + domain);
        Fixtures.as(brand).post(OUTBOX + "/{id}/retry", id).then().statusCode(200)
                .body("id", equalTo((int) id)).body("attempts", equalTo(0));
        await("the retried mail was sent", Duration.ofSeconds(20),
                () -> "sent".equals(status(id)) && MailServers.get().getReceivedMessagesForDomain(domain).length == 1, () -> status(id));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'notification.outbox.retry' AND reseller_id = ?", brand.id()));
    }

    @Test
    void onlyAFailedOrQueuedMailCanBeRetriedAndOnlyAQueuedOneCancelled() {
        ResellerRef brand = Fixtures.reseller();
        long sent = row(brand.id(), "sent", false, "sent@" + unique("st") + ".example");
        long cancelled = row(brand.id(), "cancelled", false, "c@" + unique("st") + ".example");
        long failed = row(brand.id(), "failed", false, "f@" + unique("st") + ".example");
        long queued = row(brand.id(), "queued", false, "q@" + unique("st") + ".example");
        Snapshot before = Snapshot.take();
        for (long id : new long[] {sent, cancelled}) {
            Fixtures.as(brand).post(OUTBOX + "/{id}/retry", id).then().statusCode(409).body("code", equalTo("OUTBOX_ENTRY_STATE"));
        }
        for (long id : new long[] {sent, cancelled, failed}) {
            Fixtures.as(brand).delete(OUTBOX + "/{id}", id).then().statusCode(409).body("code", equalTo("OUTBOX_ENTRY_STATE"));
        }
        before.assertUnchanged("a refused retry or cancel changed the outbox");
        assertEquals("sent", status(sent));
        assertEquals("failed", status(failed));

        Fixtures.as(brand).delete(OUTBOX + "/{id}", queued).then().statusCode(204);
        assertEquals("cancelled", status(queued));
        Fixtures.as(brand).delete(OUTBOX + "/{id}", queued).then().statusCode(409);
        // a queued mail may be pushed to go now
        long later = row(brand.id(), "queued", false, "later@" + unique("st") + ".example");
        Fixtures.as(brand).post(OUTBOX + "/{id}/retry", later).then().statusCode(200);
    }

    @Test
    void anotherTreesOrAMissingMailIsNotFoundAndStaysAsItWas() {
        ResellerRef brand = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(brand);
        ResellerRef stranger = Fixtures.reseller();
        long queued = row(brand.id(), "queued", false, "q@" + unique("nf") + ".example");
        long failed = row(brand.id(), "failed", false, "f@" + unique("nf") + ".example");
        Snapshot before = Snapshot.take();
        for (ResellerRef outsider : new ResellerRef[] {stranger, sub}) {
            Fixtures.as(outsider).delete(OUTBOX + "/{id}", queued).then().statusCode(404).body("code", equalTo("OUTBOX_ENTRY_NOT_FOUND"));
            Fixtures.as(outsider).post(OUTBOX + "/{id}/retry", failed).then().statusCode(404).body("code", equalTo("OUTBOX_ENTRY_NOT_FOUND"));
        }
        Fixtures.as(brand).delete(OUTBOX + "/999999999999").then().statusCode(404).body("code", equalTo("OUTBOX_ENTRY_NOT_FOUND"));
        Fixtures.as(brand).post(OUTBOX + "/abc/retry").then().statusCode(400);
        before.assertUnchanged("a refused retry or cancel changed the database");
        assertEquals("queued", status(queued));
        assertEquals("failed", status(failed));
    }
}
