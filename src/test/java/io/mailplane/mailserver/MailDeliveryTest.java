package io.mailplane.mailserver;

import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailStack;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Quota;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;

/**
 * Mail through the real Postfix into the real Dovecot, for what was configured over REST: a
 * forward's mail lands in its recipient's INBOX; addresses no one has, and a deleted user's, are
 * refused during the SMTP dialogue; the user's quotaMb is the IMAP quota.
 */
@QuarkusTest
class MailDeliveryTest {
    private static final Duration DELIVERY = Duration.ofSeconds(20);

    /** Sends one mail over SMTP to the stack's Postfix; throws SendFailedException when a recipient is refused. */
    static void send(String to, String subject) throws MessagingException {
        MailStack stack = MailStack.get();
        Properties props = new Properties();
        props.put("mail.smtp.host", stack.host());
        props.put("mail.smtp.port", Integer.toString(stack.smtpPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("sender@sender.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("Hello from the MailDeliveryTest.\r\n");
        Transport.send(message);
    }

    /** The subjects in the user's INBOX once one with {@code subject} has arrived (or the deadline passed). */
    static List<String> inboxOnceArrived(UserRef user, String password, String subject) throws Exception {
        // delivery is asynchronous (Postfix queue → LMTP); the mailbox is polled, nothing is ordered
        AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
        try {
            Awaitility.await("mail " + subject).atMost(DELIVERY).pollInterval(Duration.ofMillis(100)).until(() -> {
                seen.set(inbox(user.email(), password));
                return seen.get().contains(subject);
            });
        } catch (ConditionTimeoutException e) {
            // the caller's assertion names what did arrive
        }
        return seen.get();
    }

    static List<String> inbox(String user, String password) throws Exception {
        try (Store store = MailServerLoginTest.login("imap", user, password)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> subjects = new java.util.ArrayList<>();
            for (Message m : inbox.getMessages()) {
                subjects.add(m.getSubject());
            }
            inbox.close(false);
            return subjects;
        }
    }

    private static String forward(ContextRef context, String... recipients) {
        String alias = Fixtures.unique("fw") + "@" + context.domain();
        Fixtures.as(context).body(List.of(recipients)).put("/oxaas/v1/admin/forwards/{cid}/{alias}", context.id(), alias)
                .then().statusCode(201);
        return alias;
    }

    @Test
    void aMailToAForwardCreatedOverRestLandsInTheRecipientsInbox() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String alias = forward(context, user.email());
        String subject = Fixtures.unique("forwarded ");

        long started = System.nanoTime();
        send(alias, subject);
        List<String> inbox = inboxOnceArrived(user, user.password(), subject);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(List.of(subject), inbox);
        System.out.println("mailstack: SMTP accept to visible over IMAP took " + tookMs + " ms");
    }

    @Test
    void aMailToAUsersAliasLandsInTheirInbox() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String alias = Fixtures.unique("al") + "@" + context.domain();
        Fixtures.as(context).put("/oxaas/v1/admin/contexts/{cid}/users/{uid}/aliases/{alias}", context.id(), user.id(), alias)
                .then().statusCode(200);
        String subject = Fixtures.unique("to alias ");

        send(alias, subject);

        assertEquals(List.of(subject), inboxOnceArrived(user, user.password(), subject));
    }

    @Test
    void aMailToTheUsersOwnAddressLandsInTheirInbox() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        String subject = Fixtures.unique("direct ");

        send(user.email(), subject);

        assertEquals(List.of(subject), inboxOnceArrived(user, user.password(), subject));
    }

    @Test
    void aMailToAUserOnTheBrandsSharedDomainLandsInTheirInbox() throws Exception {
        ContextRef context = Fixtures.context();
        String shared = Fixtures.unique("shared") + ".example.net";
        Fixtures.as(context.reseller()).post("/oxaas/v1/admin/sharedmaildomains/{domain}", shared).then().statusCode(200);
        String email = Fixtures.unique("s") + "@" + shared;
        String password = Fixtures.secret();
        int id = Fixtures.as(context).body(Map.of("name", email, "password", password, "displayName", "Shared", "primaryEmail", email))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id()).then().statusCode(201)
                .extract().jsonPath().getInt("id");
        UserRef user = new UserRef(id, email, password, email, context);
        String subject = Fixtures.unique("shared ");

        send(email, subject);

        assertEquals(List.of(subject), inboxOnceArrived(user, password, subject));
    }

    @Test
    void aMailToAnAddressNoOneHasIsRefusedByPostfix() throws Exception {
        ContextRef context = Fixtures.context();
        SendFailedException refused = assertThrows(SendFailedException.class,
                () -> send(Fixtures.unique("nobody") + "@" + context.domain(), "to no one"));
        SMTPAddressFailedException rcpt = (SMTPAddressFailedException) refused.getNextException();
        assertEquals(550, rcpt.getReturnCode());
    }

    @Test
    void aMailToADomainNotHostedHereIsRefusedByPostfix() {
        SendFailedException refused = assertThrows(SendFailedException.class,
                () -> send(Fixtures.unique("x") + "@" + Fixtures.unique("nothosted") + ".example", "to elsewhere"));
        assertTrue(refused.getNextException() instanceof SMTPAddressFailedException);
    }

    @Test
    void aDeletedUsersAddressIsRefusedByPostfix() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        send(user.email(), "before");
        Fixtures.as(context).delete(MailServerLoginTest.USER, context.id(), user.id()).then().statusCode(204);

        SendFailedException refused = assertThrows(SendFailedException.class, () -> send(user.email(), "after"));
        assertEquals(550, ((SMTPAddressFailedException) refused.getNextException()).getReturnCode());
    }

    @Test
    void theUsersQuotaMbIsTheirImapQuota() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).body(Map.of("quotaMb", 40)).put(MailServerLoginTest.USER, context.id(), user.id())
                .then().statusCode(200);

        try (Store store = MailServerLoginTest.login("imap", user.email(), user.password())) {
            Quota[] quotas = ((IMAPStore) store).getQuota("INBOX");
            assertEquals(1, quotas.length);
            Quota.Resource storage = List.of(quotas[0].resources).stream()
                    .filter(r -> r.name.equalsIgnoreCase("STORAGE")).findFirst().orElseThrow();
            assertEquals(40 * 1024, storage.limit); // KiB
            assertEquals(0, storage.usage);
        }
    }
}
