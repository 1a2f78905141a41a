package io.mailplane.shared;

import static io.mailplane.testing.Fixtures.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailStack;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Delegation is real in Dovecot (issue 15, part 2): a {@code read} delegate opens the shared
 * account's mailbox over IMAP as {@code shared/<address>/INBOX} with their own login; nobody else
 * sees it. Group delegation follows the group's members at each login, an expired delegation ends
 * access, and the delegate's own mail statistics do not count the shared mailbox.
 */
@QuarkusTest
class SharedMailboxDovecotTest {
    /** How long Mailplane may take to set a new shared mailbox's ACL (its background task), on a loaded machine. */
    static final Duration ACL = Duration.ofSeconds(30);

    /** How many mails {@code user} sees in the shared mailbox of {@code shared} over IMAP; -1 when it does not exist for them. */
    static int sharedInbox(UserRef user, String shared) throws MessagingException {
        MailStack stack = MailStack.get();
        try (Store store = Session.getInstance(MailStack.client("imap")).getStore("imap")) {
            store.connect(stack.host(), stack.imapPort(), user.email(), user.password());
            Folder inbox = store.getFolder("shared/" + shared.toLowerCase() + "/INBOX");
            try {
                inbox.open(Folder.READ_ONLY);
            } catch (FolderNotFoundException e) {
                return -1; // Dovecot answers a mailbox without rights as nonexistent
            }
            try {
                return inbox.getMessageCount();
            } finally {
                inbox.close(false);
            }
        }
    }

    /** Whether LIST shows {@code user} the shared account's folder (as clients browse to it). */
    static boolean listed(UserRef user, String shared) throws MessagingException {
        MailStack stack = MailStack.get();
        try (Store store = Session.getInstance(MailStack.client("imap")).getStore("imap")) {
            store.connect(stack.host(), stack.imapPort(), user.email(), user.password());
            return java.util.Arrays.stream(store.getDefaultFolder().list("*"))
                    .anyMatch(f -> f.getFullName().equalsIgnoreCase("shared/" + shared));
        }
    }

    /** One unread mail into the shared mailbox, placed as the master user. */
    static void deliver(String shared) throws MessagingException {
        MailStack stack = MailStack.get();
        Session session = Session.getInstance(MailStack.client("imap"));
        try (Store store = session.getStore("imap")) {
            store.connect(stack.host(), stack.imapPort(), shared.toLowerCase() + "*" + stack.masterUser(), stack.masterPassword());
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("customer@external.example.net"));
            m.setRecipients(Message.RecipientType.TO, shared);
            m.setSubject("For the team");
            m.setText("Hello team.\n");
            store.getFolder("INBOX").appendMessages(new Message[] {m});
        }
    }

    static void awaitAcl(String shared) {
        await().atMost(ACL).until(() -> Db.count("SELECT COUNT(*) FROM shared_accounts s JOIN users u ON u.pk = s.user_pk"
                + " WHERE u.uidname = ? AND s.mailbox_acl_at IS NOT NULL", shared) == 1);
    }

    @Test
    void aReadDelegateOpensTheSharedMailboxOverImapAndNoOneElseDoes() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef delegate = Fixtures.user(context);
        UserRef stranger = Fixtures.user(context);
        String shared = SharedAccountsTest.mailbox(context, owner);
        deliver(shared);
        as(context).body(SharedAccountsTest.delegation("read", "send_as")).put(SharedAccountsTest.ONE + "/delegates/users/{uid}",
                context.id(), shared, delegate.id()).then().statusCode(201);
        awaitAcl(shared);

        assertEquals(1, sharedInbox(delegate, shared), "the delegate reads the shared mailbox");
        assertTrue(listed(delegate, shared), "LIST shows the delegate the shared mailbox");
        assertEquals(-1, sharedInbox(stranger, shared), "a user without delegation does not see it");
        assertFalse(listed(stranger, shared), "nor does LIST");

        as(context).delete(SharedAccountsTest.ONE + "/delegates/users/{uid}", context.id(), shared, delegate.id()).then().statusCode(204);
        assertEquals(-1, sharedInbox(delegate, shared), "a removed delegate loses access at the next login");
    }

    @Test
    void aGroupDelegationFollowsTheGroupsMembersAndAnExpiredDelegationEndsAccess() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef member = Fixtures.user(context);
        UserRef joiner = Fixtures.user(context);
        String shared = SharedAccountsTest.mailbox(context, owner);
        deliver(shared);
        int group = SharedAccountsTest.group(context, member);
        as(context).body(SharedAccountsTest.delegation("read")).put(SharedAccountsTest.ONE + "/delegates/groups/{gid}",
                context.id(), shared, group).then().statusCode(201);
        awaitAcl(shared);

        assertEquals(1, sharedInbox(member, shared));
        assertEquals(-1, sharedInbox(joiner, shared), "not in the group yet");
        SharedAccountsTest.members(context, group, member, joiner);
        assertEquals(1, sharedInbox(joiner, shared), "joined the group: reads at the next login");
        SharedAccountsTest.members(context, group, joiner);
        assertEquals(-1, sharedInbox(member, shared), "left the group: access ends at the next login");

        as(context).body(Map.of("permissions", List.of("read"), "until", Instant.now().plusSeconds(3600).toString()))
                .put(SharedAccountsTest.ONE + "/delegates/users/{uid}", context.id(), shared, member.id()).then().statusCode(201);
        assertEquals(1, sharedInbox(member, shared));
        // the hour passes
        Db.update("UPDATE shared_account_user_delegates d JOIN users u ON u.pk = d.user_pk SET d.until = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND"
                + " WHERE u.uidname = ?", member.name());
        assertEquals(-1, sharedInbox(member, shared), "an expired delegation reads nothing");
    }

    @Test
    void aDelegatesOwnMailStatisticsDoNotCountTheSharedMailbox() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef delegate = Fixtures.user(context);
        String shared = SharedAccountsTest.mailbox(context, owner);
        deliver(shared);
        as(context).body(SharedAccountsTest.delegation("read")).put(SharedAccountsTest.ONE + "/delegates/users/{uid}",
                context.id(), shared, delegate.id()).then().statusCode(201);
        awaitAcl(shared);
        assertEquals(1, sharedInbox(delegate, shared));

        String tenantLogin = Fixtures.unique("tenant");
        String tenantPassword = Fixtures.secret();
        as(context.reseller()).body(Map.of("login", tenantLogin, "password", tenantPassword))
                .put("/oxaas/v1/admin/resellers/{id}/tenant", context.reseller().id()).then().statusCode(204);
        int unread = Fixtures.as(tenantLogin, tenantPassword).get("/oxaas/v1/mail/{uid}/unread", delegate.id() + "@" + context.id())
                .then().statusCode(200).extract().jsonPath().getInt("newmessages");
        assertEquals(0, unread, "the shared mailbox's unread mail is not the delegate's");
    }
}
