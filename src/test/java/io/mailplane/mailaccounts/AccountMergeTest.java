package io.mailplane.mailaccounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.mailaccounts.MailAccountDtos.AccountRequest;
import io.mailplane.mailaccounts.ServerSettings.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upsert's merge rules, one row per rule: a request (only the fields it names; the rest are
 * omitted) over no account or a stored one, and what the draft to verify then holds. No Quarkus,
 * no database, no mail server.
 */
class AccountMergeTest {
    static final String EMAIL = "jo@example.net";
    static final long USER_PK = 42;

    /** A request naming only {@code given} (besides the address and the two servers, which are required). */
    static AccountRequest request(Map<String, Object> given) {
        Map<String, Object> f = new HashMap<>(Map.of("email", EMAIL, "server", "imap.example.net", "smtp_server", "smtp.example.net"));
        f.putAll(given);
        return new AccountRequest((String) f.get("name"), (String) f.get("email"), (String) f.get("account"),
                (String) f.get("password"), (Integer) f.get("port"), (String) f.get("server"), (String) f.get("smtp_account"),
                (String) f.get("smtp_password"), (Integer) f.get("smtp_port"), (String) f.get("smtp_server"),
                (Boolean) f.get("smtp_auth"), (Boolean) f.get("imap"), (Boolean) f.get("restrict"),
                (Encryption) f.get("incoming_encryption_type"), (Encryption) f.get("outcoming_encryption_type"),
                (AuthType) f.get("auth_type_in"), (AuthType) f.get("auth_type_smtp"));
    }

    /** Every field named: a request that merges nothing from the stored account. */
    static Map<String, Object> complete() {
        Map<String, Object> f = new HashMap<>();
        f.put("name", "Jo");
        f.put("account", "jo");
        f.put("password", "in-new");
        f.put("port", 993);
        f.put("smtp_account", "jo");
        f.put("smtp_password", "smtp-new");
        f.put("smtp_port", 465);
        f.put("smtp_auth", true);
        f.put("imap", true);
        f.put("restrict", true);
        f.put("incoming_encryption_type", Encryption.SSL);
        f.put("outcoming_encryption_type", Encryption.SSL);
        f.put("auth_type_in", AuthType.Login);
        f.put("auth_type_smtp", AuthType.Login);
        return f;
    }

    static Map<String, Object> with(Map<String, Object> base, Object... kv) {
        Map<String, Object> out = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    static Map<String, Object> fields(Object... kv) {
        return with(Map.of(), kv);
    }

    /**
     * A stored POP3 account whose every value differs from the defaults: SSL on port 1995, SMTP with
     * STARTTLS on port 1587, an SMTP login and password of its own, import not restricted, version 7.
     * Its secrets are sealed as {@code sealed:<plain>}.
     */
    static MailAccount stored(Consumer<MailAccount> tweak) {
        MailAccount a = new MailAccount();
        a.id = 5L;
        a.userPk = USER_PK;
        a.email = EMAIL;
        a.emailDomain = "example.net";
        a.name = "Stored";
        a.enabled = true;
        a.imap = false;
        a.restrictImport = false;
        a.inServer = "pop.example.net";
        a.inPort = 1995;
        a.inLogin = "jo";
        a.inEncryption = Encryption.SSL.code;
        a.inAuth = AuthType.Login.code;
        a.inSecret = "sealed:in-old";
        a.smtpServer = "smtp.example.net";
        a.smtpPort = 1587;
        a.smtpLogin = "jo-smtp";
        a.smtpEncryption = Encryption.StartTLS.code;
        a.smtpAuth = true;
        a.smtpAuthType = AuthType.Login.code;
        a.smtpSecret = "sealed:smtp-old";
        a.version = 7;
        tweak.accept(a);
        return a;
    }

    static final MailAccount NEW = null;

    static MailAccount stored() {
        return stored(a -> { });
    }

    /** A stored account whose SMTP side logs in as the incoming side does. */
    static MailAccount sharedSmtp() {
        return stored(a -> {
            a.smtpLogin = a.inLogin;
            a.smtpSecret = "sealed:in-old";
        });
    }

    /** Opens {@code sealed:<plain>}, checking that the secret is bound to its account and field. */
    static String open(String sealed, String context) {
        assertTrue(context.equals(MailAccount.secretContext(USER_PK, EMAIL, "in"))
                || context.equals(MailAccount.secretContext(USER_PK, EMAIL, "smtp")), context);
        assertTrue(sealed.startsWith("sealed:"), sealed);
        return sealed.substring("sealed:".length());
    }

    record Rule(String rule, MailAccount old, Map<String, Object> request, Function<AccountDraft, Object> actual, Object expected) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Rule rule(String rule, MailAccount old, Map<String, Object> request, Function<AccountDraft, Object> actual, Object expected) {
        return new Rule(rule, old, request, actual, expected);
    }

    static final Map<String, Object> PASSWORD = fields("password", "pw");

    static Stream<Rule> rules() {
        return Stream.of(
                // a new account: the defaults
                rule("a new account is IMAP", NEW, PASSWORD, d -> d.in().side(), Side.IMAP),
                rule("a new account is unencrypted on both sides", NEW, PASSWORD,
                        d -> List.of(d.in().encryption(), d.smtp().encryption()), List.of(Encryption.None, Encryption.None)),
                rule("a new account logs in with Login on both sides", NEW, PASSWORD,
                        d -> List.of(d.in().auth(), d.smtp().auth()), List.of(AuthType.Login, AuthType.Login)),
                rule("a new account gets the default ports", NEW, PASSWORD, d -> List.of(d.in().port(), d.smtp().port()), List.of(143, 587)),
                rule("a new account's default ports follow the encryption", NEW,
                        with(PASSWORD, "incoming_encryption_type", Encryption.SSL, "outcoming_encryption_type", Encryption.SSL),
                        d -> List.of(d.in().port(), d.smtp().port()), List.of(993, 465)),
                rule("a new POP3 account gets the POP3 port", NEW,
                        with(PASSWORD, "imap", false, "incoming_encryption_type", Encryption.SSL), d -> d.in().port(), 995),
                rule("a given port wins", NEW, with(PASSWORD, "port", 1143, "smtp_port", 2525),
                        d -> List.of(d.in().port(), d.smtp().port()), List.of(1143, 2525)),
                rule("a new account logs in with its address", NEW, PASSWORD,
                        d -> List.of(d.in().login(), d.smtp().login()), List.of(EMAIL, EMAIL)),
                rule("the SMTP login follows a given incoming login", NEW, with(PASSWORD, "account", "jo"), d -> d.smtp().login(), "jo"),
                rule("the SMTP password follows the incoming one", NEW, PASSWORD, d -> d.smtp().secret(), "pw"),
                rule("a given SMTP password wins", NEW, with(PASSWORD, "smtp_password", "other"), d -> d.smtp().secret(), "other"),
                rule("SMTP authenticates by default", NEW, PASSWORD, d -> d.smtp().authenticate(), true),
                rule("auth_type_smtp None turns SMTP authentication off", NEW, with(PASSWORD, "auth_type_smtp", AuthType.None),
                        d -> d.smtp().authenticate(), false),
                rule("auth_type_smtp other than None turns it on", NEW, with(PASSWORD, "auth_type_smtp", AuthType.OAuth2),
                        d -> d.smtp().authenticate(), true),
                rule("smtp_auth wins over auth_type_smtp", NEW, with(PASSWORD, "auth_type_smtp", AuthType.None, "smtp_auth", true),
                        d -> d.smtp().authenticate(), true),
                rule("SMTP without authentication has no password", NEW, with(PASSWORD, "smtp_auth", false, "smtp_password", "x"),
                        d -> d.smtp().secret() == null, true),
                rule("a new account has an empty name", NEW, PASSWORD, AccountDraft::name, ""),
                rule("a new account restricts the import", NEW, PASSWORD, AccountDraft::restrict, true),
                rule("the incoming side always authenticates", NEW, with(PASSWORD, "auth_type_in", AuthType.None),
                        d -> d.in().authenticate(), true),
                rule("a new account merges over nothing", NEW, PASSWORD, AccountDraft::baseVersion, null),
                rule("the servers are the request's", stored(), fields(), d -> List.of(d.in().host(), d.smtp().host()),
                        List.of("imap.example.net", "smtp.example.net")),

                // a stored account: what an omitted field keeps
                rule("an omitted protocol keeps the stored one", stored(), fields(), d -> d.in().side(), Side.POP3),
                rule("omitted encryption and port keep the stored ones", stored(), fields(),
                        d -> List.of(d.in().encryption(), d.in().port(), d.smtp().encryption(), d.smtp().port()),
                        List.of(Encryption.SSL, 1995, Encryption.StartTLS, 1587)),
                rule("a changed protocol takes its default port", stored(), fields("imap", true), d -> d.in().port(), 993),
                rule("a changed incoming encryption takes its default port", stored(), fields("incoming_encryption_type", Encryption.None),
                        d -> d.in().port(), 110),
                rule("a changed SMTP encryption takes its default port", stored(), fields("outcoming_encryption_type", Encryption.SSL),
                        d -> List.of(d.in().port(), d.smtp().port()), List.of(1995, 465)),
                rule("omitted authentication types keep the stored ones", stored(a -> a.smtpAuthType = AuthType.CramMd5.code), fields(),
                        d -> List.of(d.in().auth(), d.smtp().auth()), List.of(AuthType.Login, AuthType.CramMd5)),
                rule("omitted logins keep the stored ones", stored(), fields(), d -> List.of(d.in().login(), d.smtp().login()),
                        List.of("jo", "jo-smtp")),
                rule("an SMTP login of its own stays when the incoming login changes", stored(), fields("account", "joanna"),
                        d -> d.smtp().login(), "jo-smtp"),
                rule("a shared SMTP login follows a changed incoming login", sharedSmtp(), fields("account", "joanna"),
                        d -> d.smtp().login(), "joanna"),
                rule("an omitted password keeps the stored one", stored(), fields(), d -> d.in().secret(), "in-old"),
                rule("an empty password keeps the stored one", stored(), fields("password", ""), d -> d.in().secret(), "in-old"),
                rule("an SMTP password of its own stays when the incoming one changes", stored(), fields("password", "in-new"),
                        d -> d.smtp().secret(), "smtp-old"),
                rule("a shared SMTP password follows a changed incoming one", sharedSmtp(), fields("password", "in-new"),
                        d -> d.smtp().secret(), "in-new"),
                rule("SMTP authentication turned on without a password takes the incoming one",
                        stored(a -> {
                            a.smtpAuth = false;
                            a.smtpLogin = null;
                            a.smtpSecret = null;
                        }), fields("smtp_auth", true), d -> List.of(d.smtp().login(), d.smtp().secret()), List.of("jo", "in-old")),
                rule("omitted smtp_auth keeps stored authentication off", stored(a -> a.smtpAuth = false), fields(),
                        d -> d.smtp().authenticate(), false),
                rule("an omitted name keeps the stored one", stored(), fields(), AccountDraft::name, "Stored"),
                rule("an omitted restrict keeps the stored one", stored(), fields(), AccountDraft::restrict, false),

                // lost updates: whether the draft depends on the stored state it was merged over
                rule("a request that omits something merges over the stored version", stored(), fields("name", "Jo"),
                        AccountDraft::baseVersion, 7),
                rule("a complete request merges over nothing", stored(), complete(), AccountDraft::baseVersion, null),
                rule("a complete request without SMTP authentication needs no SMTP password", stored(),
                        with(complete(), "smtp_auth", false, "smtp_password", null), AccountDraft::baseVersion, null),
                rule("a complete request without an SMTP password merges over the stored one", stored(),
                        with(complete(), "smtp_password", null), AccountDraft::baseVersion, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void shouldMergeTheRequestByEachRule(Rule rule) {
        AccountDraft draft = AccountMerge.merge(EMAIL, request(rule.request()), rule.old(), AccountMergeTest::open);
        assertEquals(rule.expected(), rule.actual().apply(draft), rule.rule());
        assertEquals(EMAIL, draft.email());
    }

    record Refusal(String rule, MailAccount old, Map<String, Object> request, String field) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("a new account needs a password", NEW, fields(), "password"),
                new Refusal("an empty password is no password for a new account", NEW, fields("password", ""), "password"),
                new Refusal("CramMd5 is refused for a new POP3 account", NEW,
                        with(PASSWORD, "imap", false, "auth_type_in", AuthType.CramMd5), "auth_type_in"),
                new Refusal("CramMd5 is refused for a stored POP3 account", stored(), fields("auth_type_in", AuthType.CramMd5), "auth_type_in"),
                new Refusal("switching a CramMd5 IMAP account to POP3 is refused", stored(a -> {
                    a.imap = true;
                    a.inAuth = AuthType.CramMd5.code;
                }), fields("imap", false), "auth_type_in"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void shouldRefuseARequestThatBreaksARuleNamingTheField(Refusal refusal) {
        ApiException refused = assertThrows(ApiException.class,
                () -> AccountMerge.merge(EMAIL, request(refusal.request()), refusal.old(), AccountMergeTest::open));
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.code);
        assertEquals(refusal.field(), refused.errors.get(0).field());
    }

    @Test
    void shouldNotOpenStoredSecretsThatANewPasswordReplaces() {
        List<String> opened = new ArrayList<>();
        AccountMerge.Opener unreadable = (sealed, context) -> {
            opened.add(context);
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "A stored secret could not be decrypted.");
        };
        AccountDraft draft = AccountMerge.merge(EMAIL, request(fields("password", "in-new", "smtp_password", "smtp-new")), stored(), unreadable);
        assertEquals(List.of("in-new", "smtp-new"), List.of(draft.in().secret(), draft.smtp().secret()));
        assertEquals(List.of(), opened);
        ApiException needed = assertThrows(ApiException.class, () -> AccountMerge.merge(EMAIL, request(fields()), stored(), unreadable));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, needed.code);
    }
}
