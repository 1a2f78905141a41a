package io.mailplane.outbox;

import static io.mailplane.outbox.OutboxTestSupport.await;
import static io.mailplane.outbox.OutboxTestSupport.header;
import static io.mailplane.testing.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.Settings;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The relay's TLS modes ({@code mailplane.smtp.tls}) against real servers: GreenMail's SMTPS port
 * for {@code ssl}, its plain SMTP port (which offers no STARTTLS) and a STARTTLS front for that
 * port ({@link StartTlsFront}) for {@code starttls}. TLS uses the test certificate for
 * {@code 127.0.0.1}; the relay trusts it through the test truststore (as a production JVM trusts
 * a relay's certificate through its CAs). What the outbox does with a failed attempt (queued
 * again, retried) is in {@link OutboxWorkerTest}.
 */
class SmtpRelayTlsTest {
    private static final String PASSWORD = "changeit";

    private static SmtpRelay relay(String tls, int port, SSLSocketFactory trust) {
        Map<String, String> values = new HashMap<>(Map.of("mailplane.smtp.host", MailServers.HOST, "mailplane.smtp.port", String.valueOf(port),
                "mailplane.smtp.tls", tls, "mailplane.smtp.from", "Mailplane <noreply@mailplane.test>",
                "mailplane.smtp.connect-timeout", "5S", "mailplane.smtp.read-timeout", "10S"));
        MailplaneConfig config = Settings.of(values);
        return new SmtpRelay(config.smtp(), trust);
    }

    /** Sends one mail to {@code to} over a connection of the relay. */
    private static void send(SmtpRelay relay, String to, String subject) throws MessagingException {
        OutboxRepository.Claimed row = new OutboxRepository.Claimed(1L, null, to, null, subject, "Hello over TLS", null,
                "<" + unique("tls") + "@mailplane.test>", 1);
        Transport transport = relay.open();
        try {
            MimeMessage message = relay.compose(row, "Mailplane <noreply@mailplane.test>", row.messageId());
            transport.sendMessage(message, message.getAllRecipients());
        } finally {
            transport.close();
        }
    }

    private static MimeMessage[] received(String domain) {
        return MailServers.get().getReceivedMessagesForDomain(domain);
    }

    private static KeyStore store(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/tls", name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** TLS client sockets that trust the test CA (and nothing else). */
    private static SSLSocketFactory trustingTheTestCa() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store("truststore.p12"));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** The server side of TLS under the test certificate. */
    private static SSLContext serverTls() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store("server.p12"), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void withSslTheMailArrivesOverImplicitTls() throws Exception {
        String domain = unique("ssl") + ".example";
        send(relay("ssl", MailServers.smtps(), trustingTheTestCa()), "user@" + domain, "Over SMTPS");
        await("the mail arrived", Duration.ofSeconds(20), () -> received(domain).length == 1, () -> received(domain).length + " mails");
        MimeMessage m = received(domain)[0];
        assertEquals("Over SMTPS", m.getSubject());
        assertEquals("Mailplane <noreply@mailplane.test>", header(m, "From"));
    }

    @Test
    void withSslARelayWhoseCertificateIsNotTrustedGetsNothing() {
        String domain = unique("untrusted") + ".example";
        // the JVM's own trust: the test CA is not among the JDK's CAs
        MessagingException e = assertThrows(MessagingException.class,
                () -> send(relay("ssl", MailServers.smtps(), null), "user@" + domain, "Never sent"));
        assertTrue(causes(e, SSLHandshakeException.class), "a failed TLS handshake: " + e);
        assertEquals(0, received(domain).length);
    }

    @Test
    void withSslAPlainSmtpServerGetsNoMail() {
        String domain = unique("plain") + ".example";
        assertThrows(MessagingException.class, () -> send(relay("ssl", MailServers.smtp(), trustingTheTestCa()), "user@" + domain, "Never sent"));
        assertEquals(0, received(domain).length);
    }

    @Test
    void withStarttlsTheMailArrivesOnlyAfterTheSessionIsUpgradedToTls() throws Exception {
        String domain = unique("starttls") + ".example";
        try (StartTlsFront front = new StartTlsFront(serverTls(), MailServers.HOST, MailServers.smtp())) {
            send(relay("starttls", front.port(), trustingTheTestCa()), "user@" + domain, "After STARTTLS");
            await("the mail arrived", Duration.ofSeconds(20), () -> received(domain).length == 1, () -> received(domain).length + " mails");
            assertEquals("After STARTTLS", received(domain)[0].getSubject());
            assertEquals(1, front.upgraded(), "one session, upgraded to TLS");
            assertEquals(0, front.refusedInClear(), "no mail command was sent in the clear");
        }
    }

    @Test
    void withStarttlsARelayThatOffersNoStarttlsGetsNothingRatherThanTheMailInTheClear() {
        String domain = unique("nostarttls") + ".example";
        // GreenMail's plain SMTP port does not offer STARTTLS
        MessagingException e = assertThrows(MessagingException.class,
                () -> send(relay("starttls", MailServers.smtp(), trustingTheTestCa()), "user@" + domain, "Never in clear"));
        assertTrue(String.valueOf(e.getMessage()).contains("STARTTLS"), e.getMessage());
        assertEquals(0, received(domain).length);
    }

    @Test
    void withStarttlsAnUpgradeToAnUntrustedCertificateSendsNothing() throws Exception {
        String domain = unique("starttls-untrusted") + ".example";
        try (StartTlsFront front = new StartTlsFront(serverTls(), MailServers.HOST, MailServers.smtp())) {
            MessagingException e = assertThrows(MessagingException.class,
                    () -> send(relay("starttls", front.port(), null), "user@" + domain, "Never sent"));
            assertTrue(causes(e, SSLHandshakeException.class), "a failed TLS handshake: " + e);
            assertEquals(0, front.refusedInClear(), "the client did not fall back to the clear");
            assertEquals(0, received(domain).length);
        }
    }

    @Test
    void withNoneTheMailGoesToAPlainSmtpServer() throws Exception {
        String domain = unique("none") + ".example";
        send(relay("none", MailServers.smtp(), null), "user@" + domain, "Plain");
        await("the mail arrived", Duration.ofSeconds(20), () -> received(domain).length == 1, () -> received(domain).length + " mails");
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t instanceof MessagingException m && m.getNextException() != null && type.isInstance(m.getNextException())) {
                return true;
            }
        }
        return false;
    }
}
