package io.mailplane.mailaccounts;

import static io.mailplane.testing.Fixtures.anonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.MailServers.Mailbox;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONLYOFFICE's mail-accounts API against a real mail server (GreenMail, in process) and the
 * real database: settings are proven before they are kept, failures say which side and phase
 * failed, and secrets never come back or sit in the database in plain text.
 */
@QuarkusTest
@QuarkusTestResource(MailServerResource.class)
class MailAccountsTest {
    private static final String ACCOUNTS = "/api/2.0/mail/accounts";

    static Map<String, Object> settings(Mailbox box, int inPort, Object inEncryption, int smtpPort, Object smtpEncryption) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "External " + box.login());
        body.put("email", box.email());
        body.put("account", box.login());
        body.put("password", box.password());
        body.put("port", inPort);
        body.put("server", MailServers.HOST);
        body.put("smtp_account", box.login());
        body.put("smtp_password", box.password());
        body.put("smtp_port", smtpPort);
        body.put("smtp_server", MailServers.HOST);
        body.put("smtp_auth", true);
        body.put("imap", true);
        body.put("restrict", true);
        body.put("incoming_encryption_type", inEncryption);
        body.put("outcoming_encryption_type", smtpEncryption);
        body.put("auth_type_in", "Login");
        body.put("auth_type_smtp", "Login");
        return body;
    }

    static Map<String, Object> plainImap(Mailbox box) {
        return settings(box, MailServers.imap(), "None", MailServers.smtp(), "None");
    }

    static UserRef user() {
        return Fixtures.user(Fixtures.context());
    }

    static long accounts(UserRef user) {
        return Db.count("SELECT COUNT(*) FROM mail_accounts a JOIN users u ON u.pk = a.user_pk WHERE u.uidname = ?", user.name());
    }

    static long create(UserRef user, Map<String, Object> body) {
        return Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(201).extract().jsonPath().getLong("response.mailboxId");
    }

    static ValidatableResponse failsVerification(UserRef user, Map<String, Object> body, String side, String phase) {
        ValidatableResponse r = Fixtures.as(user).body(body).post(ACCOUNTS).then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("status", equalTo(1))
                .body("statusCode", equalTo(400))
                .body("error.code", equalTo("MAIL_VERIFICATION_FAILED"))
                .body("error.side", equalTo(side))
                .body("error.phase", equalTo(phase))
                .body("error.message", not(containsString("<")));
        assertEquals(0, accounts(user), "nothing is stored when verification fails");
        return r;
    }

    @Test
    void shouldCreateImapAccountOverPlainConnectionsInOnlyofficeEnvelope() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Fixtures.as(user).body(plainImap(box)).post(ACCOUNTS).then()
                .statusCode(201)
                .body("count", equalTo(1))
                .body("status", equalTo(0))
                .body("statusCode", equalTo(201))
                .body("response.mailboxId", notNullValue())
                .body("response.email", equalTo(box.email()))
                .body("response.enabled", equalTo(true))
                .body("response.name", equalTo("External " + box.login()))
                .body("response.oAuthConnection", equalTo(false))
                .body("response.signature.html", equalTo(""))
                .body("response.signature.isActive", equalTo(false))
                .body("response.autoreply.turnOn", equalTo(false))
                .body("response.containsKey('eMailInFolder')", equalTo(true))
                .body("response.quotaError", equalTo(false))
                .body("response.authError", equalTo(false))
                .body("response.isGroup", equalTo(false))
                .body("response.isAlias", equalTo(false))
                .body("response.isTeamlabMailbox", equalTo(false))
                .body("response.isDefault", equalTo(false))
                .body("response.isSharedDomainMailbox", equalTo(false))
                .body("response.port", equalTo(MailServers.imap()))
                .body(not(containsString(box.password())));
        Fixtures.as(user).get(ACCOUNTS).then().statusCode(200)
                .body("count", equalTo(1))
                .body("response.email", equalTo(java.util.List.of(box.email())))
                .body(not(containsString(box.password())));
    }

    @Test
    void shouldVerifyImapAndSmtpOverSsl() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        create(user, settings(box, MailServers.imaps(), "SSL", MailServers.smtps(), "SSL"));
        Fixtures.as(user).queryParam("email", box.email()).get(ACCOUNTS + "/single").then().statusCode(200)
                .body("response.incoming_encryption_type", equalTo("SSL"))
                .body("response.outcoming_encryption_type", equalTo("SSL"));
    }

    @Test
    void shouldAcceptNumericCodesForEncryptionAndAuthTypes() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = settings(box, MailServers.imaps(), 1, MailServers.smtp(), 0);
        body.put("auth_type_in", 1);
        body.put("auth_type_smtp", "1");
        create(user, body);
    }

    @Test
    void shouldVerifyPop3PlainAndOverSsl() {
        UserRef user = user();
        Mailbox plain = MailServers.mailbox();
        Map<String, Object> body = settings(plain, MailServers.pop3(), "None", MailServers.smtp(), "None");
        body.put("imap", false);
        create(user, body);
        Mailbox ssl = MailServers.mailbox();
        Map<String, Object> secure = settings(ssl, MailServers.pop3s(), "SSL", MailServers.smtps(), "SSL");
        secure.put("imap", false);
        create(user, secure);
        assertEquals(2, accounts(user));
    }

    @Test
    void shouldNotStoreAccountWithWrongImapPassword() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = plainImap(box);
        body.put("password", Fixtures.secret());
        failsVerification(user, body, "IMAP", "auth").body("error.reply", notNullValue());
    }

    @Test
    void shouldNotStoreAccountWithWrongPop3Password() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = settings(box, MailServers.pop3s(), "SSL", MailServers.smtp(), "None");
        body.put("imap", false);
        body.put("password", Fixtures.secret());
        failsVerification(user, body, "POP3", "auth");
    }

    @Test
    void shouldNotStoreAccountWithWrongSmtpPassword() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = plainImap(box);
        body.put("smtp_password", Fixtures.secret());
        failsVerification(user, body, "SMTP", "auth").body("error.reply", containsString("535"));
    }

    @Test
    void shouldReportClosedPortAsConnectFailure() {
        UserRef user = user();
        Map<String, Object> body = plainImap(MailServers.mailbox());
        body.put("port", MailServers.closedPort());
        failsVerification(user, body, "IMAP", "connect");
    }

    @Test
    void shouldGiveUpOnServerThatNeverAnswersWithinTheTimeout() {
        UserRef user = user();
        Map<String, Object> body = plainImap(MailServers.mailbox());
        body.put("smtp_port", MailServers.silentPort());
        long started = System.nanoTime();
        failsVerification(user, body, "SMTP", "connect").body("error.message", containsString("did not answer"));
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertTrue(seconds < 8, "the configured 2 s timeout bounds the wait, took " + seconds + " s");
    }

    @Test
    void shouldReportTlsFailureWhenSslMeetsPlainPort() {
        UserRef user = user();
        Map<String, Object> body = settings(MailServers.mailbox(), MailServers.imap(), "SSL", MailServers.smtp(), "None");
        failsVerification(user, body, "IMAP", "tls");
    }

    @Test
    void shouldRequireStartTlsWhenAskedForIt() {
        UserRef user = user();
        Map<String, Object> body = settings(MailServers.mailbox(), MailServers.imap(), "None", MailServers.smtp(), "StartTLS");
        failsVerification(user, body, "SMTP", "tls");
        Map<String, Object> imap = settings(MailServers.mailbox(), MailServers.imap(), "StartTLS", MailServers.smtp(), "None");
        failsVerification(user, imap, "IMAP", "tls");
    }

    @Test
    void shouldLogInWithOAuth2AccessToken() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = plainImap(box);
        body.put("auth_type_in", "OAuth2");
        body.put("auth_type_smtp", 5);
        Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(201).body("response.oAuthConnection", equalTo(true));
    }

    @Test
    void shouldFailCramMd5WhenServerDoesNotOfferIt() {
        UserRef user = user();
        Map<String, Object> body = plainImap(MailServers.mailbox());
        body.put("auth_type_in", "CramMd5");
        failsVerification(user, body, "IMAP", "auth");
    }

    @Test
    void shouldAnswerXmlForAcceptHeaderAndSuffix() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        String xml = Fixtures.as(user).accept("application/xml").body(plainImap(box)).post(ACCOUNTS).then()
                .statusCode(201).contentType(containsString("xml")).extract().asString();
        assertTrue(xml.contains("<result><count>1</count><status>0</status><statusCode>201</statusCode><response><mailboxId>"), xml);
        assertTrue(xml.contains("<enabled>True</enabled>") && xml.contains("<isDefault>False</isDefault>"), xml);
        assertFalse(xml.contains(box.password()));
        Fixtures.as(user).get(ACCOUNTS + ".xml").then().statusCode(200).contentType(containsString("xml"))
                .body(containsString("<email>" + box.email() + "</email>"));
        anonymous().get(ACCOUNTS + ".xml").then().statusCode(401).contentType(containsString("xml"))
                .body(startsWith("<?xml")).body(containsString("<status>1</status><statusCode>401</statusCode>"));
    }

    @Test
    void shouldKeepMailboxIdWhenPostingAnAddressAgain() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Map<String, Object> again = settings(box, MailServers.imaps(), "SSL", MailServers.smtps(), "SSL");
        again.put("name", "Renamed");
        Fixtures.as(user).body(again).post(ACCOUNTS).then().statusCode(200)
                .body("statusCode", equalTo(200))
                .body("response.mailboxId", equalTo((int) id))
                .body("response.name", equalTo("Renamed"))
                .body("response.port", equalTo(MailServers.imaps()));
        assertEquals(1, accounts(user));
    }

    @Test
    void shouldKeepStoredPasswordWhenUpdateSendsEmptyOne() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Map<String, Object> update = settings(box, MailServers.imaps(), "SSL", MailServers.smtps(), "SSL");
        update.put("password", "");
        update.remove("smtp_password");
        update.put("name", "Over SSL now");
        Fixtures.as(user).body(update).put(ACCOUNTS).then().statusCode(200)
                .body("response.mailboxId", equalTo((int) id))
                .body("response.name", equalTo("Over SSL now"));
        // the stored secret still works: disabling and enabling again verifies it
        Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(200);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then().statusCode(200)
                .body("response.enabled", equalTo(true));
    }

    @Test
    void shouldNotUpdateWithWrongPasswordOrUnknownAddress() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        create(user, plainImap(box));
        Snapshot before = Snapshot.take();
        Map<String, Object> update = plainImap(box);
        update.put("password", Fixtures.secret());
        update.put("name", "Never stored");
        Fixtures.as(user).body(update).put(ACCOUNTS).then().statusCode(400).body("error.side", equalTo("IMAP"));
        Fixtures.as(user).body(plainImap(MailServers.mailbox())).put(ACCOUNTS).then().statusCode(404)
                .body("error.code", equalTo("MAIL_ACCOUNT_NOT_FOUND"));
        before.assertUnchanged();
    }

    @Test
    void shouldVerifyAgainWhenEnablingAnAccount() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        create(user, plainImap(box));
        Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(200)
                .body("response.enabled", equalTo(false));
        MailServers.get().getUserManager().getUser(box.login()).setPassword(Fixtures.secret());
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then().statusCode(400)
                .body("error.phase", equalTo("auth"));
        Fixtures.as(user).queryParam("email", box.email()).get(ACCOUNTS + "/single").then().statusCode(200)
                .body("response.enabled", equalTo(false));
    }

    @Test
    void shouldHaveAtMostOneDefaultAccount() {
        UserRef user = user();
        Mailbox a = MailServers.mailbox();
        Mailbox b = MailServers.mailbox();
        create(user, plainImap(a));
        create(user, plainImap(b));
        Fixtures.as(user).body(Map.of("email", a.email(), "isDefault", true)).put(ACCOUNTS + "/default").then().statusCode(200)
                .body("response.isDefault", equalTo(true));
        Fixtures.as(user).body(Map.of("email", b.email(), "isDefault", true)).put(ACCOUNTS + "/default").then().statusCode(200);
        Fixtures.as(user).queryParam("email", a.email()).get(ACCOUNTS + "/single").then().body("response.isDefault", equalTo(false));
        Fixtures.as(user).body(Map.of("email", "nobody@external.example.net", "isDefault", true)).put(ACCOUNTS + "/default").then().statusCode(404);
    }

    @Test
    void shouldSanitiseSignatureHtml() {
        UserRef user = user();
        long id = create(user, plainImap(MailServers.mailbox()));
        Fixtures.as(user).body(Map.of("html", "<p onclick=\"steal()\">Best, <b>Jo</b><script>alert(1)</script><a href=\"javascript:x()\">x</a></p>", "isActive", true))
                .post("/api/2.0/mail/signature/update/{id}", id).then().statusCode(200)
                .body("response.mailboxId", equalTo((int) id))
                .body("response.isActive", equalTo(true))
                .body("response.html", containsString("<b>Jo</b>"))
                .body("response.html", not(containsString("script")))
                .body("response.html", not(containsString("onclick")))
                .body("response.html", not(containsString("javascript")));
        Fixtures.as(user).get(ACCOUNTS).then().body("response[0].signature.isActive", equalTo(true));
    }

    @Test
    void shouldStoreAutoreplyWithOnlyofficeDates() {
        UserRef user = user();
        long id = create(user, plainImap(MailServers.mailbox()));
        Map<String, Object> body = new HashMap<>(Map.of("turnOn", true, "onlyContacts", true, "turnOnToDate", true,
                "fromDate", "2030-10-01T17:04:32.0000000", "toDate", "2030-10-08T09:00:00Z", "subject", "Away", "html", "<p>Back soon</p>"));
        Fixtures.as(user).body(body).post("/api/2.0/mail/autoreply/update/{id}", id).then().statusCode(200)
                .body("response.turnOn", equalTo(true))
                .body("response.onlyContacts", equalTo(true))
                .body("response.fromDate", equalTo("2030-10-01T17:04:32.0000000"))
                .body("response.toDate", equalTo("2030-10-08T09:00:00.0000000"))
                .body("response.subject", equalTo("Away"));
        body.put("toDate", "2030-09-01T00:00:00");
        Fixtures.as(user).body(body).post("/api/2.0/mail/autoreply/update/{id}", id).then().statusCode(400)
                .body("error.errors[0].field", equalTo("toDate"));
        body.remove("toDate");
        Fixtures.as(user).body(body).post("/api/2.0/mail/autoreply/update/{id}", id).then().statusCode(400);
        body.put("toDate", "next tuesday");
        Fixtures.as(user).body(body).post("/api/2.0/mail/autoreply/update/{id}", id).then().statusCode(400);
        Fixtures.as(user).get(ACCOUNTS).then().body("response[0].autoreply.subject", equalTo("Away"));
    }

    @Test
    void shouldNotLetUsersTouchEachOthersAccounts() {
        UserRef owner = user();
        UserRef stranger = Fixtures.user(owner.context());
        Mailbox box = MailServers.mailbox();
        long id = create(owner, plainImap(box));
        Snapshot before = Snapshot.take();
        Fixtures.as(stranger).body(Map.of("html", "<b>mine</b>", "isActive", true))
                .post("/api/2.0/mail/signature/update/{id}", id).then().statusCode(404).body("error.code", equalTo("MAIL_ACCOUNT_NOT_FOUND"));
        Fixtures.as(stranger).body(Map.of("turnOn", true)).post("/api/2.0/mail/autoreply/update/{id}", id).then().statusCode(404);
        Fixtures.as(stranger).queryParam("email", box.email()).delete(ACCOUNTS).then().statusCode(404);
        Fixtures.as(stranger).queryParam("email", box.email()).get(ACCOUNTS + "/single").then().statusCode(404);
        Fixtures.as(stranger).get(ACCOUNTS).then().statusCode(200).body("response", hasSize(0));
        before.assertUnchanged();
    }

    @Test
    void shouldDeleteAccountByAddress() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        create(user, plainImap(box));
        Fixtures.as(user).queryParam("email", box.email()).delete(ACCOUNTS).then().statusCode(200).body("response", equalTo(box.email()));
        Fixtures.as(user).queryParam("email", box.email()).delete(ACCOUNTS).then().statusCode(404);
        assertEquals(0, accounts(user));
    }

    @Test
    void shouldAnswerAnonymousCallersAndAdminsInTheEnvelope() {
        anonymous().get(ACCOUNTS).then().statusCode(401)
                .body("status", equalTo(1)).body("statusCode", equalTo(401)).body("error.code", equalTo("UNAUTHENTICATED"));
        anonymous().body(plainImap(MailServers.mailbox())).post(ACCOUNTS).then().statusCode(401);
        ContextRef context = Fixtures.context();
        Fixtures.asQualified(context).get(ACCOUNTS).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
    }

    @Test
    void shouldAcceptSessionTokensPlainOrBearer() {
        UserRef user = user();
        create(user, plainImap(MailServers.mailbox()));
        String token = anonymous().body(Map.of("userName", user.name(), "password", user.password()))
                .post("/api/2.0/authentication").then().statusCode(201).extract().jsonPath().getString("response.token");
        anonymous().header("Authorization", token).get(ACCOUNTS).then().statusCode(200).body("count", equalTo(1));
        anonymous().header("Authorization", "Bearer " + token).get(ACCOUNTS).then().statusCode(200).body("count", equalTo(1));
    }

    @Test
    void shouldRejectBadInputWithFieldErrorsAndStoreNothing() {
        UserRef user = user();
        Snapshot before = Snapshot.take();
        Map<String, Object> body = plainImap(MailServers.mailbox());
        body.put("incoming_encryption_type", "TLS1.3");
        Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(400)
                .body("error.code", equalTo("VALIDATION_FAILED"))
                .body("error.errors[0].field", equalTo("incoming_encryption_type"));
        body = plainImap(MailServers.mailbox());
        body.put("auth_type_smtp", 3);
        Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(400).body("error.errors[0].field", equalTo("auth_type_smtp"));
        body = plainImap(MailServers.mailbox());
        body.put("port", 70000);
        body.put("server", "not a host");
        Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(400).body("error.errors.field", org.hamcrest.Matchers.hasItems("port", "server"));
        body = plainImap(MailServers.mailbox());
        body.put("imap", false);
        body.put("auth_type_in", "CramMd5");
        Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(400).body("error.errors[0].field", equalTo("auth_type_in"));
        body = plainImap(MailServers.mailbox());
        body.remove("password");
        Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(400).body("error.errors[0].field", equalTo("password"));
        Fixtures.as(user).body(Map.of("email", "x@y.example", "bogus", 1)).post(ACCOUNTS).then().statusCode(400)
                .body("error.code", equalTo("UNKNOWN_FIELD"));
        Fixtures.as(user).body("{not json").post(ACCOUNTS).then().statusCode(400).body("status", equalTo(1));
        Fixtures.as(user).queryParam("email", "not-an-address").get(ACCOUNTS + "/single").then().statusCode(400);
        Fixtures.as(user).body(Map.of("html", "x", "isActive", true)).post("/api/2.0/mail/signature/update/abc").then().statusCode(400);
        before.assertUnchanged();
    }

    @Test
    void shouldKeepNoPlaintextSecretInTheDatabase() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        String in = Db.string("SELECT in_secret FROM mail_accounts WHERE id = ?", id);
        String smtp = Db.string("SELECT smtp_secret FROM mail_accounts WHERE id = ?", id);
        assertTrue(in.startsWith("v1.") && smtp.startsWith("v1."), "ciphertexts name their format and key");
        assertFalse(in.contains(box.password()) || smtp.contains(box.password()));
        assertFalse(in.equals(smtp), "a random IV makes equal secrets encrypt differently");
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_accounts WHERE CONCAT_WS('|', in_secret, smtp_secret, in_login, name) LIKE ?",
                "%" + box.password() + "%"));
    }

    @Test
    void shouldLimitExternalAccountsPerUser() {
        UserRef user = user();
        for (int i = 0; i < 20; i++) {
            create(user, plainImap(MailServers.mailbox()));
        }
        Fixtures.as(user).body(plainImap(MailServers.mailbox())).post(ACCOUNTS).then().statusCode(409)
                .body("error.code", equalTo("LIMIT_EXCEEDED"));
        assertEquals(20, accounts(user));
    }

    @Test
    void shouldCreateSimpleAccountFromProviderTable() {
        UserRef user = user();
        String login = Fixtures.unique("prov") + "@" + MailServerResource.PROVIDER_DOMAIN;
        String password = Fixtures.secret();
        MailServers.get().setUser(login, login, password);
        Fixtures.as(user).body(Map.of("email", login, "password", password)).post(ACCOUNTS + "/simple").then().statusCode(201)
                .body("response.email", equalTo(login))
                .body("response.port", equalTo(MailServers.imaps()))
                .body("response.incoming_encryption_type", equalTo("SSL"));
    }

    @Test
    void shouldCreateSimpleAccountFromSettingsLearnedOnTheDomainWithinTheContext() {
        String domain = Fixtures.unique("learned") + ".example.net";
        Mailbox first = new Mailbox(Fixtures.unique("a") + "@" + domain, null, Fixtures.secret());
        MailServers.get().setUser(first.email(), first.email(), first.password());
        Map<String, Object> body = settings(new Mailbox(first.email(), first.email(), first.password()),
                MailServers.pop3s(), "SSL", MailServers.smtps(), "SSL");
        body.put("imap", false);
        UserRef colleague = user();
        create(colleague, body);

        // another tenant learns nothing from this context's accounts
        String elsewhere = Fixtures.unique("c") + "@" + domain;
        String elsewherePassword = Fixtures.secret();
        MailServers.get().setUser(elsewhere, elsewhere, elsewherePassword);
        Fixtures.as(user()).body(Map.of("email", elsewhere, "password", elsewherePassword)).post(ACCOUNTS + "/simple").then()
                .statusCode(400).body("error.tried", equalTo("0"));

        UserRef other = Fixtures.user(colleague.context());
        String second = Fixtures.unique("b") + "@" + domain;
        String password = Fixtures.secret();
        MailServers.get().setUser(second, second, password);
        Fixtures.as(other).body(Map.of("email", second, "password", Fixtures.secret())).post(ACCOUNTS + "/simple").then().statusCode(400)
                .body("error.code", equalTo("MAIL_VERIFICATION_FAILED"))
                .body("error.tried", equalTo("1"));
        Fixtures.as(other).body(Map.of("email", second, "password", password)).post(ACCOUNTS + "/simple").then().statusCode(201)
                .body("response.imap", equalTo(false))
                .body("response.port", equalTo(MailServers.pop3s()));
        Fixtures.as(other).body(Map.of("email", "x@" + Fixtures.unique("nowhere") + ".example.net", "password", password))
                .post(ACCOUNTS + "/simple").then().statusCode(400).body("error.tried", equalTo("0"));
    }

    @Test
    void shouldLetContextAdminListAndDeleteAUsersAccountsWithoutSecrets() {
        UserRef user = user();
        Mailbox a = MailServers.mailbox();
        Mailbox b = MailServers.mailbox();
        long first = create(user, plainImap(a));
        create(user, plainImap(b));
        String path = "/oxaas/v1/admin/contexts/{cid}/users/{uid}/mailaccounts";
        RequestSpecification admin = Fixtures.as(user.context());
        admin.get(path, user.context().id(), user.id()).then().statusCode(200)
                .body("mailaccounts", hasSize(2))
                .body("mailaccounts.email", org.hamcrest.Matchers.hasItems(a.email(), b.email()))
                .body(not(containsString(a.password())))
                .body(not(containsString("secret")));
        // who else may call is AccessMatrixTest's
        Snapshot before = Snapshot.take();
        Fixtures.as(user.context()).get(path, user.context().id(), 99999).then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        before.assertUnchanged();

        Fixtures.as(user.context()).delete(path + "/{mid}", user.context().id(), user.id(), first).then().statusCode(200)
                .body("mailaccounts[0].mailboxId", equalTo((int) first));
        Fixtures.as(user.context()).delete(path + "/{mid}", user.context().id(), user.id(), first).then().statusCode(404)
                .body("code", equalTo("MAIL_ACCOUNT_NOT_FOUND"));
        Fixtures.as(user.context()).delete(path, user.context().id(), user.id()).then().statusCode(200)
                .body("mailaccounts.email", equalTo(java.util.List.of(b.email())));
        assertEquals(0, accounts(user));
        Fixtures.as(user).get(ACCOUNTS).then().body("response", hasSize(0));
        Fixtures.as(user.context().reseller()).get("/oxaas/v1/admin/audit").then().statusCode(200)
                .body("action", org.hamcrest.Matchers.hasItem("mailaccount.delete"));
    }
}
