package io.mailplane.shared;

import static io.mailplane.testing.Fixtures.as;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailStack;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Shared accounts (issue 15, part 2) on the real database and, where mail is touched, the real Postfix and Dovecot. */
@QuarkusTest
class SharedAccountsTest {
    static final String SHARED = "/oxaas/v1/admin/contexts/{cid}/sharedaccounts";
    static final String ONE = SHARED + "/{address}";
    static final String USERS = "/oxaas/v1/admin/contexts/{cid}/users";
    static final String GROUPS = "/oxaas/v1/admin/contexts/{cid}/groups";
    static final String SELF = "/api/2.0/sharedaccounts";

    static String address(ContextRef context) {
        return unique("team") + "@" + context.domain();
    }

    static Response create(ContextRef context, String address, String type, int owner, String password) {
        Map<String, Object> body = new HashMap<>(Map.of("address", address, "displayName", "Team " + address, "type", type, "owner", owner));
        if (password != null) {
            body.put("password", password);
        }
        return as(context).body(body).post(SHARED, context.id());
    }

    static String mailbox(ContextRef context, UserRef owner) {
        String address = address(context);
        create(context, address, "mailbox", owner.id(), null).then().statusCode(201);
        return address;
    }

    static int group(ContextRef context, UserRef... members) {
        return as(context).body(Map.of("name", unique("g"), "members", java.util.Arrays.stream(members).map(UserRef::id).toList()))
                .post(GROUPS, context.id()).then().statusCode(201).extract().jsonPath().getInt("id");
    }

    static void members(ContextRef context, int group, UserRef... members) {
        as(context).body(Map.of("members", java.util.Arrays.stream(members).map(UserRef::id).toList()))
                .put(GROUPS + "/{gid}", context.id(), group).then().statusCode(200);
    }

    static Map<String, Object> delegation(String... permissions) {
        return Map.of("permissions", List.of(permissions));
    }

    private static void imapLogin(String user, String password) throws MessagingException {
        MailStack stack = MailStack.get();
        try (Store store = Session.getInstance(MailStack.client("imap")).getStore("imap")) {
            store.connect(stack.host(), stack.imapPort(), user, password);
        }
    }

    private static void send(String to) throws MessagingException {
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
        message.setSubject("to a shared account");
        message.setText("Hello.\r\n");
        jakarta.mail.Transport.send(message);
    }

    @Test
    void aMailboxAccountReceivesMailButNoOneCanSignInAsItNeitherToTheApiNorToImap() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String address = address(context);
        int userId = create(context, address, "mailbox", owner.id(), null).then().statusCode(201)
                .header("ETag", not(nullValue()))
                .body("type", equalTo("mailbox")).body("owner", equalTo(owner.id())).body("ownerLogin", equalTo(owner.name()))
                .body("mailEnabled", equalTo(true)).body("mfa", nullValue())
                .extract().jsonPath().getInt("userId");
        // the account is a user of the context, with mail
        as(context).get(USERS + "/{uid}", context.id(), userId).then().statusCode(200)
                .body("name", equalTo(address)).body("primaryEmail", equalTo(address)).body("mailEnabled", equalTo(true));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ? AND (password_hash LIKE '$2%' OR mail_password_hash IS NOT NULL)", address));
        for (String password : List.of("", "!shared-account-without-password", Fixtures.secret())) {
            Fixtures.as(address, password).get(SELF + "/delegated").then().statusCode(401);
        }
        assertThrows(AuthenticationFailedException.class, () -> imapLogin(address, "!shared-account-without-password"));
        send(address); // accepted: the account has a mailbox
    }

    @Test
    void anSsoAccountHasAPasswordWithMfaAndNoMailbox() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String address = address(context);
        String password = Fixtures.secret();
        create(context, address, "sso", owner.id(), password).then().statusCode(201)
                .body("type", equalTo("sso")).body("mailEnabled", equalTo(false))
                .body("mfa.otpauthUri", startsWith("otpauth://totp/"));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ? AND password_hash LIKE '$2%' AND mail_password_hash IS NULL"
                + " AND NOT mail_enabled", address));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mailserver_v1_mailboxes WHERE username = ?", address));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mailserver_v1_addresses WHERE address = ?", address));
        SendFailedException refused = assertThrows(SendFailedException.class, () -> send(address));
        assertEquals(550, ((org.eclipse.angus.mail.smtp.SMTPAddressFailedException) refused.getNextException()).getReturnCode());
        assertThrows(AuthenticationFailedException.class, () -> imapLogin(address, password));
        // its mail follows its type: no mailbox through /mailboxes
        int userId = as(context).get(ONE, context.id(), address).then().extract().jsonPath().getInt("userId");
        as(context).body(Map.of("user_id", userId, "alias", unique("box"), "primary_email_address", address, "size_limit", 1024))
                .post("/oxaas/v1/admin/contexts/{cid}/mailboxes", context.id()).then().statusCode(409).body("code", equalTo("SHARED_ACCOUNT_USER"));
        // the enrolment is shown once: never on reading
        as(context).get(ONE, context.id(), address).then().statusCode(200).body("mfa", nullValue());
    }

    @Test
    void aMailboxSsoAccountsPasswordIsNotVerifiableByTheMailServer() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String address = address(context);
        String password = Fixtures.secret();
        create(context, address, "mailbox_sso", owner.id(), password).then().statusCode(201)
                .body("type", equalTo("mailbox_sso")).body("mailEnabled", equalTo(true)).body("mfa.otpauthUri", startsWith("otpauth://"));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM mailserver_v1_mailboxes WHERE username = ? AND password IS NULL", address));
        // even a mail-server hash written behind the API's back is not given to Dovecot
        assertThrows(AuthenticationFailedException.class, () -> imapLogin(address, password));
        Db.update("UPDATE users SET mail_password_hash = ? WHERE uidname = ?", "{PLAIN}" + password, address);
        assertEquals(1, Db.count("SELECT COUNT(*) FROM mailserver_v1_mailboxes WHERE username = ? AND password IS NULL", address));
        assertThrows(AuthenticationFailedException.class, () -> imapLogin(address, password));
        send(address);
    }

    @Test
    void aPasswordIsRequiredExactlyForTheTypesThatHaveOne() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        create(context, address(context), "mailbox", owner.id(), Fixtures.secret()).then().statusCode(400).body("errors.field", hasItem("password"));
        create(context, address(context), "sso", owner.id(), null).then().statusCode(400).body("errors.field", hasItem("password"));
        create(context, address(context), "mailbox_sso", owner.id(), null).then().statusCode(400).body("errors.field", hasItem("password"));
        create(context, address(context), "shared", owner.id(), null).then().statusCode(400).body("errors.field", hasItem("type"));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM shared_accounts WHERE context_id = ?", context.id()));
    }

    @Test
    void settingAPasswordMakesAMailboxAccountMailboxSsoAndRemovingItMakesItMailboxAgain() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String address = mailbox(context, owner);
        as(context).body(Map.of("password", Fixtures.secret())).put(ONE, context.id(), address).then().statusCode(200)
                .body("type", equalTo("mailbox_sso")).body("mfa.otpauthUri", startsWith("otpauth://"));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ? AND password_hash LIKE '$2%' AND mail_password_hash IS NULL", address));
        // without the password field, the password stays
        as(context).body(Map.of("displayName", "Still with password")).put(ONE, context.id(), address).then().statusCode(200)
                .body("type", equalTo("mailbox_sso")).body("mfa", nullValue());
        as(context).body("{\"password\":null}").put(ONE, context.id(), address).then().statusCode(200)
                .body("type", equalTo("mailbox")).body("mfa", nullValue());
        assertEquals(0, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ? AND password_hash LIKE '$2%'", address));
        // a displayName alone keeps the type
        as(context).body(Map.of("displayName", "Renamed")).put(ONE, context.id(), address).then().statusCode(200)
                .body("type", equalTo("mailbox")).body("displayName", equalTo("Renamed"));

        String sso = address(context);
        create(context, sso, "sso", owner.id(), Fixtures.secret()).then().statusCode(201);
        as(context).body("{\"password\":null}").put(ONE, context.id(), sso).then().statusCode(400).body("errors.field", hasItem("password"));
        as(context).get(ONE, context.id(), sso).then().statusCode(200).body("type", equalTo("sso"));
    }

    @Test
    void aStaleIfMatchIsRefusedAndTheCurrentOneIsHonoured() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String address = mailbox(context, owner);
        String etag = as(context).get(ONE, context.id(), address).then().statusCode(200).extract().header("ETag");
        as(context).header("If-Match", etag).body(Map.of("displayName", "One")).put(ONE, context.id(), address).then().statusCode(200);
        as(context).header("If-Match", etag).body(Map.of("displayName", "Two")).put(ONE, context.id(), address).then().statusCode(412);
        as(context).header("If-Match", etag).delete(ONE, context.id(), address).then().statusCode(412);
    }

    @Test
    void theOwnerIsAUserOfTheContextThatCanBeTransferredButNotDeletedWhileOwning() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef next = Fixtures.user(context);
        create(context, address(context), "mailbox", 99_999, null).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"))
                .body("errors.field", hasItem("owner"));
        String address = mailbox(context, owner);
        int backing = as(context).get(ONE, context.id(), address).then().extract().jsonPath().getInt("userId");
        create(context, address(context), "mailbox", backing, null).then().statusCode(400).body("errors.field", hasItem("owner"));

        as(context).delete(USERS + "/{uid}", context.id(), owner.id()).then().statusCode(409).body("code", equalTo("SHARED_ACCOUNT_OWNER"));
        as(context).body(Map.of("owner", next.id())).put(ONE, context.id(), address).then().statusCode(200)
                .body("owner", equalTo(next.id())).body("ownerLogin", equalTo(next.name()));
        as(context).delete(USERS + "/{uid}", context.id(), owner.id()).then().statusCode(204);
        as(context).body(Map.of("owner", 99_999)).put(ONE, context.id(), address).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));

        // the account's own user is managed through /sharedaccounts only
        as(context).delete(USERS + "/{uid}", context.id(), backing).then().statusCode(409).body("code", equalTo("SHARED_ACCOUNT_USER"));
        as(context).body(Map.of("password", Fixtures.secret())).put(USERS + "/{uid}/password", context.id(), backing).then().statusCode(409)
                .body("code", equalTo("SHARED_ACCOUNT_USER"));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM audit_log WHERE context_id = ? AND action = 'shared.owner' AND target LIKE ?",
                context.id(), "%" + owner.name() + "%" + next.name() + "%"));
    }

    @Test
    void deletingASharedAccountDeletesItsUserAndDelegationsAndFreesTheAddress() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef delegate = Fixtures.user(context);
        String address = mailbox(context, owner);
        as(context).body(delegation("read")).put(ONE + "/delegates/users/{uid}", context.id(), address, delegate.id()).then().statusCode(201);
        as(context).delete(ONE, context.id(), address).then().statusCode(204);
        as(context).get(ONE, context.id(), address).then().statusCode(404).body("code", equalTo("SHARED_ACCOUNT_NOT_FOUND"));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM users WHERE uidname = ?", address));
        as(delegate).get(SELF + "/delegated").then().statusCode(200).body("$", empty());
        create(context, address, "mailbox", owner.id(), null).then().statusCode(201);
    }

    @Test
    void delegatesByUserAndByGroupFollowTheGroupsCurrentMembers() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef ann = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        String address = mailbox(context, owner);
        int team = group(context, ann);
        as(context).body(delegation("read")).put(ONE + "/delegates/groups/{gid}", context.id(), address, team).then().statusCode(201)
                .body("kind", equalTo("group")).body("id", equalTo(team)).body("permissions", contains("read"));
        as(context).body(delegation("send_as")).put(ONE + "/delegates/users/{uid}", context.id(), address, bob.id()).then().statusCode(201);
        as(context).body(delegation("send_as", "send_on_behalf")).put(ONE + "/delegates/users/{uid}", context.id(), address, bob.id())
                .then().statusCode(200).body("permissions", contains("send_as", "send_on_behalf"));

        as(ann).get(SELF + "/delegated").then().statusCode(200).body("address", contains(address)).body("[0].permissions", contains("read"));
        as(bob).get(SELF + "/delegated").then().statusCode(200).body("[0].permissions", contains("send_as", "send_on_behalf"));
        members(context, team, ann, bob); // bob joins: his group's permissions add to his own
        as(bob).get(SELF + "/delegated").then().statusCode(200).body("[0].permissions", contains("read", "send_as", "send_on_behalf"));
        members(context, team, bob); // ann leaves: she loses the access
        as(ann).get(SELF + "/delegated").then().statusCode(200).body("$", empty());
        as(owner).get(SELF + "/owned").then().statusCode(200).body("address", contains(address))
                .body("[0].delegates.kind", contains("user", "group"))
                .body("[0].delegates.id", contains(bob.id(), team));
        as(context).delete(ONE + "/delegates/groups/{gid}", context.id(), address, team).then().statusCode(204);
        as(context).delete(ONE + "/delegates/groups/{gid}", context.id(), address, team).then().statusCode(404).body("code", equalTo("DELEGATE_NOT_FOUND"));
        as(bob).get(SELF + "/delegated").then().statusCode(200).body("[0].permissions", contains("send_as", "send_on_behalf"));
    }

    @Test
    void aDelegationEndsByItselfWhenItsUntilPasses() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef temp = Fixtures.user(context);
        String address = mailbox(context, owner);
        as(context).body(Map.of("permissions", List.of("read"), "until", Instant.now().minusSeconds(1).toString()))
                .put(ONE + "/delegates/users/{uid}", context.id(), address, temp.id()).then().statusCode(400).body("errors.field", hasItem("until"));
        Instant until = Instant.now().plusSeconds(3);
        as(context).body(Map.of("permissions", List.of("read"), "until", until.toString()))
                .put(ONE + "/delegates/users/{uid}", context.id(), address, temp.id()).then().statusCode(201);
        as(temp).get(SELF + "/delegated").then().statusCode(200).body("address", contains(address));
        Awaitility.await("the delegation's end").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> as(temp).get(SELF + "/delegated").then().statusCode(200).extract().jsonPath().getList("$").isEmpty());
        assertTrue(!Instant.now().isBefore(until.minusMillis(1000)), "ended before its time");
        as(context).get(ONE, context.id(), address).then().statusCode(200).body("delegates", empty());
        // an expired delegation counts as none: no access, nothing to remove
        as(temp).body(delegation("read")).put(SELF + "/{address}/delegates/users/{uid}", address, temp.id()).then().statusCode(404);
        as(context).delete(ONE + "/delegates/users/{uid}", context.id(), address, temp.id()).then().statusCode(404)
                .body("code", equalTo("DELEGATE_NOT_FOUND"));
    }

    @Test
    void ownersAndManageDelegatesChangeDelegatesOthersMayNot() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef manager = Fixtures.user(context);
        UserRef reader = Fixtures.user(context);
        UserRef stranger = Fixtures.user(context);
        String address = mailbox(context, owner);
        String path = SELF + "/{address}/delegates/users/{uid}";
        as(owner).body(delegation("read", "manage")).put(path, address, manager.id()).then().statusCode(201);
        as(manager).body(delegation("read")).put(path, address, reader.id()).then().statusCode(201);
        // a delegate without manage sees the account but may not change it; a stranger does not see it
        as(reader).body(delegation("read")).put(path, address, stranger.id()).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        as(reader).delete(path, address, manager.id()).then().statusCode(403);
        as(stranger).body(delegation("read")).put(path, address, stranger.id()).then().statusCode(404).body("code", equalTo("SHARED_ACCOUNT_NOT_FOUND"));
        as(stranger).delete(path, address, reader.id()).then().statusCode(404);
        int team = group(context, stranger);
        as(reader).body(delegation("read")).put(SELF + "/{address}/delegates/groups/{gid}", address, team).then().statusCode(403);
        as(manager).body(delegation("read")).put(SELF + "/{address}/delegates/groups/{gid}", address, team).then().statusCode(201);
        as(stranger).get(SELF + "/delegated").then().body("address", contains(address));
        as(owner).delete(SELF + "/{address}/delegates/groups/{gid}", address, team).then().statusCode(204);
        as(manager).delete(path, address, reader.id()).then().statusCode(204);
        as(owner).get(SELF + "/owned").then().statusCode(200).body("[0].delegates.id", contains(manager.id()))
                .body("[0].delegates[0].permissions", contains("read", "manage"));
        // others see nothing they do not own
        as(manager).get(SELF + "/owned").then().statusCode(200).body("$", empty());
        // an owner in another context reaches nothing here
        ContextRef elsewhere = Fixtures.context();
        UserRef foreignOwner = Fixtures.user(elsewhere);
        as(foreignOwner).body(delegation("read")).put(path, address, foreignOwner.id()).then().statusCode(404);
        assertEquals(0, Db.count("SELECT COUNT(*) FROM shared_account_user_delegates d JOIN users u ON u.pk = d.user_pk WHERE u.uidname IN (?, ?)",
                stranger.name(), foreignOwner.name()));
    }

    @Test
    void everyChangeIsAuditedWithActorAndTarget() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        UserRef next = Fixtures.user(context);
        UserRef delegate = Fixtures.user(context);
        String address = mailbox(context, owner);
        as(context).body(Map.of("displayName", "Renamed", "owner", next.id())).put(ONE, context.id(), address).then().statusCode(200);
        as(next).body(delegation("read")).put(SELF + "/{address}/delegates/users/{uid}", address, delegate.id()).then().statusCode(201);
        as(next).delete(SELF + "/{address}/delegates/users/{uid}", address, delegate.id()).then().statusCode(204);
        as(context).delete(ONE, context.id(), address).then().statusCode(204);
        String log = Db.string("SELECT GROUP_CONCAT(CONCAT(action, '|', actor, '|', target) ORDER BY id SEPARATOR '\\n') FROM audit_log"
                + " WHERE context_id = ? AND action LIKE 'shared.%'", context.id());
        List<String> lines = List.of(log.split("\n"));
        assertEquals(List.of("shared.create", "shared.owner", "shared.update", "shared.delegate.set", "shared.delegate.remove", "shared.delete"),
                lines.stream().map(l -> l.split("\\|")[0]).toList(), log);
        for (String line : lines) {
            assertTrue(line.contains(address), line);
        }
        assertTrue(lines.get(0).contains("|oxadmin|"), lines.get(0));
        assertTrue(lines.get(3).contains("|" + next.name() + "|") && lines.get(3).contains(delegate.name()), lines.get(3));
        assertTrue(lines.get(4).contains("|" + next.name() + "|"), lines.get(4));
    }
}
