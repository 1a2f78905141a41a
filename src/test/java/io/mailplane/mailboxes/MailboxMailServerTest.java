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
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "5000");
        props.put("mail.imap.timeout", "10000");
        Store store = Session.getInstance(props).getStore("imap");
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
        Properties props = new Properties();
        props.put("mail.pop3.connectiontimeout", "5000");
        props.put("mail.pop3.timeout", "10000");
        try (Store store = Session.getInstance(props).getStore("pop3")) {
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
}
