package io.mailplane.outbox;

import io.mailplane.common.MailplaneConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * The SMTP relay of notification mails (Jakarta Mail), as {@code mailplane.smtp.*} describes it:
 * one connection per batch ({@link #open()}), a message per outbox row ({@link #compose}) with the
 * row's stable Message-ID. The password is handed to the transport only, never logged or kept in
 * an error text.
 */
public final class SmtpRelay {
    private final MailplaneConfig.Smtp settings;
    private final Session session;
    private final String protocol;

    public SmtpRelay(MailplaneConfig.Smtp settings) {
        this(settings, null);
    }

    /**
     * With {@code tlsSockets}: TLS (implicit, or after STARTTLS) through these sockets instead of
     * the JVM's defaults, which trust the JDK's CAs and {@code javax.net.ssl.trustStore}; the
     * relay's host name is checked either way. (Tests trust their test CA with it.)
     */
    SmtpRelay(MailplaneConfig.Smtp settings, SSLSocketFactory tlsSockets) {
        this.settings = settings;
        this.protocol = settings.tls() == MailplaneConfig.Smtp.Tls.SSL ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", settings.host());
        props.put(p + "port", Integer.toString(settings.port()));
        props.put(p + "connectiontimeout", Long.toString(settings.connectTimeout().toMillis()));
        props.put(p + "timeout", Long.toString(settings.readTimeout().toMillis()));
        props.put(p + "writetimeout", Long.toString(settings.readTimeout().toMillis()));
        props.put(p + "auth", Boolean.toString(settings.user().isPresent()));
        if (settings.tls() == MailplaneConfig.Smtp.Tls.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (settings.tls() != MailplaneConfig.Smtp.Tls.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
            if (tlsSockets != null) {
                props.put(p + "ssl.socketFactory", tlsSockets);
            }
        }
        this.session = Session.getInstance(props);
    }

    /** A connection to the relay, logged in when a user is set. */
    public Transport open() throws MessagingException {
        Transport transport = session.getTransport(protocol);
        if (settings.user().isPresent()) {
            transport.connect(settings.host(), settings.port(), settings.user().get(), settings.password().orElse(""));
        } else {
            transport.connect();
        }
        return transport;
    }

    /** The mail of a claimed row, from {@code from}, with its Message-ID. */
    public MimeMessage compose(OutboxRepository.Claimed row, String from, String messageId) throws MessagingException {
        MimeMessage message = new StableIdMessage(session, messageId);
        message.setFrom(new InternetAddress(from, true));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(row.recipient(), true));
        message.setSubject(row.subject(), "UTF-8");
        message.setSentDate(Date.from(Instant.now()));
        // RFC 3834: an automatic message; auto-responders should not answer it
        message.setHeader("Auto-Submitted", "auto-generated");
        if (row.html() == null) {
            message.setText(row.text(), "UTF-8");
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(row.text(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(row.html(), "UTF-8", "html");
            message.setContent(new MimeMultipart("alternative", text, html));
        }
        message.saveChanges();
        return message;
    }

    /** The domain of an address ({@code Brand <noreply@brand.example>} → {@code brand.example}); {@code localhost} when it has none. */
    static String domainOf(String address) {
        try {
            String a = new InternetAddress(address, false).getAddress();
            int at = a == null ? -1 : a.lastIndexOf('@');
            return at < 0 || at == a.length() - 1 ? "localhost" : a.substring(at + 1);
        } catch (AddressException e) {
            return "localhost";
        }
    }

    /** A text for {@code last_error} and the log: one line, at most {@code max} characters, never the password. */
    String scrub(Throwable e, int max) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 2 * max; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" / ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t.getCause()) {
                text.append(" / ").append(m.getNextException().getMessage());
            }
        }
        String line = text.toString().replaceAll("[\\p{Cntrl}]+", " ").trim();
        if (settings.password().isPresent() && !settings.password().get().isEmpty()) {
            line = line.replace(settings.password().get(), "***");
        }
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    /** Keeps the Message-ID it was given ({@link MimeMessage#saveChanges} would otherwise make a new one). */
    private static final class StableIdMessage extends MimeMessage {
        private final String messageId;

        StableIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
