package io.mailplane.mailstats;

import io.mailplane.testing.MailStack;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/**
 * The tests' own hands on the test Dovecot and Postfix: mails delivered over SMTP (through Postfix,
 * as any sender would), and mails placed straight into a mailbox with IMAP APPEND as the master
 * user, with the arrival time (INTERNALDATE) and flags a test needs.
 */
final class TestMailboxes {
    private TestMailboxes() {
    }

    /** A mail as Postfix receives it from a sender on the Internet. */
    static void sendOverSmtp(InternetAddress from, String to, String subject, String text) throws MessagingException {
        MailStack stack = MailStack.get();
        Properties p = new Properties();
        p.put("mail.smtp.host", stack.host());
        p.put("mail.smtp.port", String.valueOf(stack.smtpPort()));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        m.setSentDate(new Date());
        Transport.send(m);
    }

    /** One mail to append: into {@code folder}, arrived at {@code arrived}, read or not. */
    record Append(String folder, String subject, Instant arrived, boolean seen) {
    }

    /** Appends the mails to the mailbox of {@code address} (folders created as needed), as the master user. */
    static void append(String address, Append... mails) throws MessagingException {
        MailStack stack = MailStack.get();
        Session session = Session.getInstance(MailStack.client("imap"));
        Store store = session.getStore("imap");
        store.connect(stack.host(), stack.imapPort(), address.toLowerCase() + "*" + stack.masterUser(), stack.masterPassword());
        try {
            char separator = store.getDefaultFolder().getSeparator();
            for (Append mail : mails) {
                Folder folder = store.getFolder(mail.folder().replace('/', separator));
                if (!folder.exists()) {
                    folder.create(Folder.HOLDS_MESSAGES);
                }
                MimeMessage m = new ArrivedMessage(session, Date.from(mail.arrived()));
                m.setFrom(new InternetAddress("Sender <sender@external.example.net>"));
                m.setRecipients(Message.RecipientType.TO, address);
                m.setSubject(mail.subject(), "UTF-8");
                m.setText("Hello,\n\n" + mail.subject() + "\n", "UTF-8");
                m.setSentDate(Date.from(mail.arrived()));
                if (mail.seen()) {
                    m.setFlag(Flags.Flag.SEEN, true);
                }
                folder.appendMessages(new Message[] {m});
            }
        } finally {
            store.close();
        }
    }

    /** A message whose arrival time (IMAP APPEND's INTERNALDATE) is given. */
    private static final class ArrivedMessage extends MimeMessage {
        private final Date arrived;

        ArrivedMessage(Session session, Date arrived) {
            super(session);
            this.arrived = arrived;
        }

        @Override
        public Date getReceivedDate() {
            return arrived;
        }
    }
}
