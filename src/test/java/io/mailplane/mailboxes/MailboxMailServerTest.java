package io.mailplane.mailboxes;

import static io.mailplane.testing.Fixtures.as;
import static io.mailplane.testing.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eclipse.angus.mail.imap.IMAPStore;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.MailStack;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Quota;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A mailbox on the real Dovecot (deploy/mailserver, through MailStack): its user logs in, its size limit is the quota. */
@QuarkusTest
class MailboxMailServerTest {
    private static final String MAILBOXES = "/oxaas/v1/admin/contexts/{cid}/mailboxes";

    private static Store imap(String user, String password) throws MessagingException {
        MailStack stack = MailStack.get();
        Store store = Session.getInstance(MailStack.client("imap")).getStore("imap");
        store.connect(stack.host(), stack.imapPort(), user, password);
        return store;
    }

    @Test
    void theNewUsersGeneratedPasswordLogsInToImapAndTheSizeLimitIsTheQuota() throws Exception {
        ContextRef context = Fixtures.context();
        String login = unique("imap") + "@" + context.domain();
        String password = as(context).body(Map.of("new_user", Map.of("login", login), "alias", unique("box"),
                        "primary_email_address", login, "size_limit", 5 * 1024))
                .post(MAILBOXES, context.id())
                .then().statusCode(201).extract().jsonPath().getString("password");
        try (Store store = imap(login, password)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            inbox.close(false);
            Quota[] quotas = ((IMAPStore) store).getQuota("INBOX");
            Quota.Resource storage = List.of(quotas[0].resources).stream()
                    .filter(r -> r.name.equalsIgnoreCase("STORAGE")).findFirst().orElseThrow();
            assertEquals(5 * 1024, storage.limit); // KiB: the size limit as given
        }
    }

    private static void pop3Login(String user, String password) throws MessagingException {
        MailStack stack = MailStack.get();
        try (Store store = Session.getInstance(MailStack.client("pop3")).getStore("pop3")) {
            store.connect(stack.host(), stack.pop3Port(), user, password);
        }
    }

    @Test
    void theMailboxsImapAndPop3FlagsDecideWhichProtocolTheUserMayLogInWith() throws Exception {
        ContextRef context = Fixtures.context();
        String login = unique("proto") + "@" + context.domain();
        String password = Fixtures.secret();
        long mailbox = as(context).body(Map.of("new_user", Map.of("login", login, "password", password), "alias", unique("box"),
                        "primary_email_address", login, "size_limit", 1024, "pop3", false))
                .post(MAILBOXES, context.id())
                .then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        imap(login, password).close();
        assertThrows(AuthenticationFailedException.class, () -> pop3Login(login, password), "pop3 is off");

        String etag = as(context).get(MAILBOXES + "/{id}", context.id(), mailbox).then().statusCode(200).extract().header("ETag");
        as(context).header("If-Match", etag).body(Map.of("imap4", false, "pop3", true)).put(MAILBOXES + "/{id}", context.id(), mailbox).then().statusCode(200);
        pop3Login(login, password);
        assertThrows(AuthenticationFailedException.class, () -> imap(login, password).close(), "imap is off");
    }

    private static java.util.Set<String> folders(String login, String password) throws MessagingException {
        try (Store store = imap(login, password)) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            for (Folder f : store.getDefaultFolder().list("*")) {
                names.add(f.getFullName());
            }
            return names;
        }
    }

    @Test
    void theStandardFoldersExistAfterCreationUnlessInitialisationIsSkipped() throws Exception {
        ContextRef context = Fixtures.context();
        String password = Fixtures.secret();
        String initialised = unique("init") + "@" + context.domain();
        String skipped = unique("skip") + "@" + context.domain();
        as(context).body(Map.of("new_user", Map.of("login", initialised, "password", password), "alias", unique("box"),
                "primary_email_address", initialised, "size_limit", 1024)).post(MAILBOXES, context.id()).then().statusCode(201);
        as(context).body(Map.of("new_user", Map.of("login", skipped, "password", password), "alias", unique("box"),
                "primary_email_address", skipped, "size_limit", 1024, "skip_initialization", true))
                .post(MAILBOXES, context.id()).then().statusCode(201);
        assertEquals(java.util.Set.of("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"), folders(initialised, password));
        assertEquals(java.util.Set.of("INBOX"), folders(skipped, password));
    }

    /** Sends one mail to the stack's Postfix; throws SendFailedException when the recipient is refused. */
    private static void send(String to, String subject) throws MessagingException {
        MailStack stack = MailStack.get();
        Properties props = new Properties();
        props.put("mail.smtp.host", stack.host());
        props.put("mail.smtp.port", Integer.toString(stack.smtpPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(props);
        jakarta.mail.internet.MimeMessage message = new jakarta.mail.internet.MimeMessage(session);
        message.setFrom(new jakarta.mail.internet.InternetAddress("sender@sender.example"));
        message.setRecipient(jakarta.mail.Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress(to));
        message.setSubject(subject);
        message.setText("Hello from the MailboxMailServerTest.\r\n");
        jakarta.mail.Transport.send(message);
    }

    private static java.util.List<String> inboxSubjects(String login, String password) throws MessagingException {
        try (Store store = imap(login, password)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            java.util.List<String> subjects = new java.util.ArrayList<>();
            for (jakarta.mail.Message m : inbox.getMessages()) {
                subjects.add(m.getSubject());
            }
            inbox.close(false);
            return subjects;
        }
    }

    @Test
    void aUserWhoseMailboxIsDeletedReceivesNoMailAndCannotLogInUntilTheyGetAMailboxAgain() throws Exception {
        ContextRef context = Fixtures.context();
        Fixtures.UserRef user = Fixtures.user(context); // every user from /users has an implicit mailbox
        String alias = unique("al") + "@" + context.domain();
        as(context).put("/oxaas/v1/admin/contexts/{cid}/users/{uid}/aliases/{alias}", context.id(), user.id(), alias).then().statusCode(200);
        imap(user.email(), user.password()).close();
        send(alias, "implicit");
        org.awaitility.Awaitility.await("implicit").atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> inboxSubjects(user.email(), user.password()).contains("implicit"));
        long mailbox = as(context).body(Map.of("user_id", user.id(), "alias", unique("box"), "primary_email_address", user.email(), "size_limit", 100 * 1024))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        as(context).delete(MAILBOXES + "/{id}", context.id(), mailbox).then().statusCode(204);

        as(context).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id()).then().statusCode(200)
                .body("mailEnabled", org.hamcrest.Matchers.equalTo(false))
                .body("primaryEmail", org.hamcrest.Matchers.equalTo(user.email()));
        for (String address : List.of(user.email(), alias)) {
            jakarta.mail.SendFailedException refused = assertThrows(jakarta.mail.SendFailedException.class, () -> send(address, "no mailbox"));
            assertEquals(550, ((org.eclipse.angus.mail.smtp.SMTPAddressFailedException) refused.getNextException()).getReturnCode(), address);
        }
        assertThrows(AuthenticationFailedException.class, () -> imap(user.email(), user.password()).close(), "imap without a mailbox");
        assertThrows(AuthenticationFailedException.class, () -> pop3Login(user.email(), user.password()), "pop3 without a mailbox");
        // the addresses stay the user's: nobody else may take them
        as(context).put("/oxaas/v1/admin/contexts/{cid}/users/{uid}/aliases/{alias}", context.id(), Fixtures.user(context).id(), alias)
                .then().statusCode(409);

        as(context).body(Map.of("user_id", user.id(), "alias", unique("box"), "primary_email_address", user.email(), "size_limit", 100 * 1024)).post(MAILBOXES, context.id()).then().statusCode(201);
        as(context).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id()).then().statusCode(200)
                .body("mailEnabled", org.hamcrest.Matchers.equalTo(true));
        String subject = unique("again ");
        send(user.email(), subject);
        org.awaitility.Awaitility.await(subject).atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> inboxSubjects(user.email(), user.password()).contains(subject));
        // the mail sent while it had its implicit mailbox is still there (the Maildir stayed)
        assertEquals(true, inboxSubjects(user.email(), user.password()).contains("implicit"));
        pop3Login(user.email(), user.password());
    }
}
