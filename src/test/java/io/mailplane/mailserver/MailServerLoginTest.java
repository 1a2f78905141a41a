package io.mailplane.mailserver;

import org.awaitility.Awaitility;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailStack;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Users created over REST log in to the real Dovecot (IMAP and POP3) with their password at once;
 * a changed password replaces the old one there too; a deleted user no longer logs in.
 */
@QuarkusTest
class MailServerLoginTest {
    static final String PASSWORD = "/oxaas/v1/admin/contexts/{cid}/users/{uid}/password";
    static final String USER = "/oxaas/v1/admin/contexts/{cid}/users/{uid}";

    /** A store of the real Dovecot, logged in; throws AuthenticationFailedException when refused. */
    static Store login(String protocol, String user, String password) throws MessagingException {
        MailStack stack = MailStack.get();
        Store store = Session.getInstance(MailStack.client(protocol)).getStore(protocol);
        store.connect(stack.host(), "imap".equals(protocol) ? stack.imapPort() : stack.pop3Port(), user, password);
        return store;
    }

    static boolean canLogIn(String protocol, String user, String password) throws MessagingException {
        try (Store store = login(protocol, user, password)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            inbox.close(false);
            return true;
        } catch (AuthenticationFailedException e) {
            return false;
        }
    }

    @Test
    void aUserCreatedOverRestLogsInToImapWithTheirPassword() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        assertTrue(canLogIn("imap", user.email(), user.password()));
    }

    @Test
    void aUserCreatedOverRestLogsInToPop3WithTheirPassword() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        assertTrue(canLogIn("pop3", user.email(), user.password()));
    }

    @Test
    void theMailLoginIsThePrimaryAddressInAnyCase() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        assertTrue(canLogIn("imap", user.email().toUpperCase(java.util.Locale.ROOT), user.password()));
    }

    @Test
    void aWrongPasswordDoesNotLogIn() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        assertThrows(AuthenticationFailedException.class, () -> login("imap", user.email(), user.password() + "x"));
    }

    @Test
    void afterAPasswordChangeOnlyTheNewPasswordLogsIn() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        String changed = Fixtures.secret();
        Fixtures.as(user.context()).body(Map.of("password", changed))
                .put(PASSWORD, user.context().id(), user.id()).then().statusCode(204);

        assertTrue(canLogIn("imap", user.email(), changed));
        assertTrue(canLogIn("pop3", user.email(), changed));
        assertThrows(AuthenticationFailedException.class, () -> login("imap", user.email(), user.password()));
        assertThrows(AuthenticationFailedException.class, () -> login("pop3", user.email(), user.password()));
    }

    @Test
    void aDeletedUserCannotLogIn() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        assertTrue(canLogIn("imap", user.email(), user.password()));
        Fixtures.as(user.context()).delete(USER, user.context().id(), user.id()).then().statusCode(204);

        assertThrows(AuthenticationFailedException.class, () -> login("imap", user.email(), user.password()));
        assertThrows(AuthenticationFailedException.class, () -> login("pop3", user.email(), user.password()));
    }

    @Test
    void aPasswordLongerThanBcryptsSeventyTwoBytesCountsInFullAtTheMailServer() throws Exception {
        ContextRef context = Fixtures.context();
        String local = Fixtures.unique("long");
        String email = local + "@" + context.domain();
        String password = Fixtures.SECRET_MARK + "ä".repeat(60) + "-end";
        int id = Fixtures.as(context).body(Map.of("name", email, "password", password, "displayName", "Long", "primaryEmail", email))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id()).then().statusCode(201)
                .extract().jsonPath().getInt("id");
        assertTrue(id > 0);

        assertTrue(canLogIn("imap", email, password));
        // same first 72 bytes, different end
        assertThrows(AuthenticationFailedException.class, () -> login("imap", email, password.replace("-end", "-END")));
    }

    @Test
    void aUserFromBeforeMailHashesGetsOneAtTheirNextApiSignIn() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        Db.update("UPDATE users SET mail_password_hash = NULL WHERE primary_email = ?", user.email());
        assertThrows(AuthenticationFailedException.class, () -> login("imap", user.email(), user.password()));

        Fixtures.anonymous().body(Map.of("userName", user.name(), "password", user.password()))
                .post("/api/2.0/authentication").then().statusCode(201);

        assertTrue(canLogIn("imap", user.email(), user.password()));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM users WHERE primary_email = ? AND mail_password_hash LIKE '{ARGON2ID}%'", user.email()));
    }

    @Test
    void mailplanesMasterUserOpensAnyUsersMailboxWithoutTheirPassword() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        MailStack stack = MailStack.get();
        try (Store store = login("imap", user.email() + "*" + stack.masterUser(), stack.masterPassword())) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertEquals(0, inbox.getMessageCount());
            inbox.close(false);
        }
        assertThrows(AuthenticationFailedException.class,
                () -> login("imap", user.email() + "*" + stack.masterUser(), stack.masterPassword() + "x"));
    }

    @Test
    void dovecotRecordsTheUsersLastMailLoginInMailplanesDatabase() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        long before = java.time.Instant.now().getEpochSecond();
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_last_login WHERE username = ?", user.email()));

        assertTrue(canLogIn("imap", user.email(), user.password()));

        // Dovecot's dict writes asynchronously: the row is awaited, not assumed
        Awaitility.await("last_login of " + user.email()).atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> Db.count("SELECT COUNT(*) FROM mail_last_login WHERE username = ?", user.email()) > 0);
        long recorded = Db.count("SELECT last_login FROM mail_last_login WHERE username = ?", user.email().toLowerCase(java.util.Locale.ROOT));
        assertTrue(recorded >= before - 1 && recorded <= java.time.Instant.now().getEpochSecond() + 1, "last_login " + recorded);
    }

    @Test
    void aStoppedDovecotRefusesConnectionsAndServesAgainOnceStarted() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        MailStack stack = MailStack.get();
        stack.stopDovecot();
        try {
            assertThrows(MessagingException.class, () -> login("imap", user.email(), user.password()));
        } finally {
            stack.startDovecot();
        }
        assertTrue(canLogIn("imap", user.email(), user.password()));
        assertTrue(canLogIn("pop3", user.email(), user.password()));
    }
}
