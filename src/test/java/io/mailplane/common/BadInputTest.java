package io.mailplane.common;

import static io.mailplane.testing.Fixtures.SECRET_MARK;
import static io.mailplane.testing.Fixtures.secret;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Json;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.MailServers.Mailbox;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * Bad input on every write endpoint gets a 4xx {@code application/problem+json} answer with a
 * machine-readable code (and the offending field), and changes nothing in the database.
 * Nothing a client sends may produce a 500. Under {@code /api/2.0/mail/} (ONLYOFFICE's API) the
 * answer is ONLYOFFICE's error envelope instead, with the same code and field errors.
 */
@QuarkusTest
@QuarkusTestResource(MailServerResource.class)
class BadInputTest {
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String RESELLERS = "/oxaas/v1/admin/resellers";
    private static final String CONTEXTS = "/oxaas/v1/admin/contexts";
    private static final String USERS = CONTEXTS + "/{cid}/users";
    private static final String GROUPS = CONTEXTS + "/{cid}/groups";
    private static final String MAIL = "/api/2.0/mail";
    private static final String MAIL_ACCOUNTS = MAIL + "/accounts";
    private static final String ADMIN_MAIL_ACCOUNTS = USERS + "/{id}/mailaccounts";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Field value that removes the field from the body. */
    private static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "missing";
        }
    };

    // ---------------------------------------------------------------------------------------
    // Bad values, by the kind of field they are sent for
    // ---------------------------------------------------------------------------------------

    /** A bad value and the code it must be answered with. */
    record Bad(String label, Object value, String code) {
        @Override
        public String toString() {
            return label + " → " + code;
        }
    }

    static Bad invalid(String label, Object value) {
        return new Bad(label, value, "VALIDATION_FAILED");
    }

    static Bad wrongType(String label, Object value) {
        return new Bad(label, value, "INVALID_TYPE");
    }

    static final Bad ABSENT = invalid("missing", MISSING);

    static List<Bad> plus(List<Bad> list, Bad... more) {
        return Stream.concat(list.stream(), Stream.of(more)).toList();
    }

    static final List<Bad> LOGIN = List.of(
            invalid("empty", ""),
            invalid("129 characters", "l".repeat(129)),
            invalid("with a space", "two words"),
            invalid("with a colon", "log:in"),
            invalid("with non-ASCII letters", "jörg"),
            wrongType("a number", 42),
            wrongType("an object", Map.of("login", "x")));

    static final List<Bad> SECRET = List.of(
            invalid("empty", ""),
            invalid("7 characters", SECRET_MARK),
            invalid("129 characters", SECRET_MARK + "x".repeat(129 - SECRET_MARK.length())),
            invalid("with a NUL character", SECRET_MARK + "\u0000abc"),
            invalid("with a line break", SECRET_MARK + "\nabc"),
            wrongType("an object", Map.of("value", SECRET_MARK + "object")));

    /** Display names; updates share the constraint with creations and get only this shorter list. */
    static final List<Bad> LABEL_BASICS = List.of(
            invalid("empty", ""),
            invalid("256 characters", "d".repeat(256)),
            invalid("with a NUL character", "Anna\u0000Smith"),
            invalid("with a line break", "Anna\r\nSmith"),
            invalid("with a C1 control character", "Anna\u0085Smith"),
            wrongType("a number", 7));

    static final List<Bad> LABEL = plus(LABEL_BASICS,
            invalid("with a tab", "Anna\tSmith"),
            invalid("with an escape sequence", "Anna\u001B[31mSmith"),
            invalid("with a DEL character", "Anna\u007FSmith"),
            wrongType("an object", Map.of()));

    static final List<Bad> BRAND = List.of(
            invalid("empty", ""),
            invalid("in upper case", "Brand.Example"),
            invalid("with an underscore", "my_brand"),
            invalid("with a leading hyphen", "-brand"),
            invalid("129 characters", "b".repeat(129)),
            wrongType("a number", 5));

    static final List<Bad> CONTEXT_NAME = List.of(
            invalid("empty", ""),
            invalid("only digits", "12345"),
            invalid("129 characters", "c".repeat(129)),
            invalid("with a space", "two words"),
            invalid("with a leading hyphen", "-ctx"),
            invalid("with non-ASCII letters", "bücher"),
            wrongType("a number", 12345));

    /** Integer and long fields that allow 0; updates get only the basics. */
    static final List<Bad> COUNT_BASICS = List.of(
            invalid("negative", -1),
            wrongType("a numeric string", "5"),
            wrongType("the string \"true\"", "true"),
            wrongType("a fraction", 1.5));

    static final List<Bad> COUNT = plus(COUNT_BASICS,
            wrongType("too large for 64 bits", new BigInteger("99999999999999999999")));

    /** Ids in bodies: positive only. */
    static final List<Bad> POSITIVE_ID = List.of(
            invalid("negative", -5),
            invalid("zero", 0),
            wrongType("a numeric string", "5"),
            wrongType("a fraction", 1.5),
            wrongType("a boolean", true),
            wrongType("too large for 64 bits", new BigInteger("99999999999999999999")));

    static final List<Bad> ADDRESS = List.of(
            invalid("empty", ""),
            invalid("without @", "anna.example.com"),
            invalid("with two @", "anna@bob@example.com"),
            wrongType("a number", 5),
            wrongType("a list", List.of("anna@example.com")));

    static final List<Bad> ADDRESS_LIST = List.of(
            wrongType("a single string", "solo@example.com"),
            wrongType("a list with a number", List.of(5)),
            wrongType("a list with an object", List.of(Map.of())),
            invalid("a list with null", Arrays.asList((Object) null)),
            invalid("a list with an invalid address", List.of("no-at.example.com")),
            invalid("101 addresses", IntStream.rangeClosed(1, 101).mapToObj(i -> "a" + i + "@example.com").toList()));

    static final List<Bad> MEMBERS = List.of(
            wrongType("a single number", 3),
            wrongType("a list with a numeric string", List.of("3")),
            wrongType("a list with a fraction", List.of(1.5)),
            wrongType("a list with an id too large for 32 bits", List.of(3_000_000_000L)),
            invalid("a list with null", Arrays.asList((Object) null)),
            invalid("a list with zero", List.of(0)),
            invalid("a list with a negative id", List.of(-1)),
            invalid("the context admin's id (not a user)", List.of(2)),
            invalid("a user of another context", List.of(4)),
            invalid("an id that is no user", List.of(99_999)),
            invalid("10001 ids", IntStream.rangeClosed(1, 10_001).boxed().toList()));

    static final List<Bad> NESTED_OBJECT = List.of(
            wrongType("a string", "unlimited"),
            wrongType("a list", List.of(5)));

    static final List<Bad> LOGIN_PASSWORD = List.of(
            invalid("empty", ""),
            invalid("1025 characters", SECRET_MARK + "x".repeat(1025 - SECRET_MARK.length())),
            wrongType("a boolean", true));

    /** ONLYOFFICE's text fields of external accounts: any length up to {@code max}, no control characters. */
    static List<Bad> mailText(int max) {
        return List.of(
                invalid((max + 1) + " characters", "t".repeat(max + 1)),
                invalid("with a NUL character", "Anna\u0000Smith"),
                invalid("with a line break", "Anna\r\nSmith"),
                invalid("with a tab", "Anna\tSmith"),
                invalid("with an escape sequence", "Anna\u001B[31mSmith"),
                invalid("with a DEL character", "Anna\u007FSmith"),
                invalid("with a C1 control character", "Anna\u0085Smith"),
                wrongType("a number", 7),
                wrongType("an object", Map.of("value", "x")));
    }

    /** Logins of external accounts: 1-320 characters without control characters. */
    static final List<Bad> MAIL_LOGIN = plus(mailText(320), invalid("empty", ""));

    /** Passwords of external accounts: up to 8192 characters without control characters. */
    static final List<Bad> MAIL_SECRET = List.of(
            invalid("8193 characters", SECRET_MARK + "x".repeat(8193 - SECRET_MARK.length())),
            invalid("with a NUL character", SECRET_MARK + "\u0000abc"),
            invalid("with a line break", SECRET_MARK + "\nabc"),
            wrongType("a boolean", true),
            wrongType("an object", Map.of("value", SECRET_MARK + "object")));

    static final List<Bad> PORT = List.of(
            invalid("zero", 0),
            invalid("negative", -1),
            invalid("65536", 65_536),
            invalid("70000", 70_000),
            wrongType("a numeric string", "143"),
            wrongType("a fraction", 143.5),
            wrongType("a boolean", true),
            wrongType("too large for 32 bits", 3_000_000_000L));

    static final List<Bad> HOST = List.of(
            invalid("empty", ""),
            invalid("with a space", "not a host"),
            invalid("with an underscore", "mail_server.example.com"),
            invalid("with a leading hyphen", "-mail.example.com"),
            invalid("with a 64-character label", "m".repeat(64) + ".example.com"),
            invalid("254 characters", ("h".repeat(49) + ".").repeat(5) + "examp"),
            invalid("with a URL scheme", "imap://mail.example.com"),
            invalid("with a port", "mail.example.com:143"),
            invalid("with a line break", "mail.example.com\r\nX: y"),
            wrongType("a number", 5),
            wrongType("a list", List.of("mail.example.com")));

    /** ONLYOFFICE's encryption types: None, SSL, StartTLS or 0, 1, 2 (also as strings). */
    static final List<Bad> ENCRYPTION = List.of(
            invalid("an unknown name", "TLS9"),
            invalid("the unknown code 3", 3),
            invalid("a negative code", -1),
            invalid("the unknown code as a string", "3"),
            invalid("empty", ""),
            invalid("a fraction", 1.5),
            invalid("a boolean", true),
            invalid("an object", Map.of("name", "SSL")),
            invalid("a list", List.of("SSL")));

    /** ONLYOFFICE's authentication types: None, Login, CramMd5, OAuth2 or 0, 1, 4, 5. */
    static final List<Bad> AUTH_TYPE = List.of(
            invalid("an unknown name", "Kerberos"),
            invalid("the unknown code 2", 2),
            invalid("the unknown code 3", 3),
            invalid("the unknown code 6", 6),
            invalid("the unknown code as a string", "3"),
            invalid("empty", ""),
            invalid("a boolean", false));

    static final List<Bad> FLAG = List.of(
            wrongType("the string \"true\"", "true"),
            wrongType("a number", 1),
            wrongType("an object", Map.of()));

    static final List<Bad> HTML = List.of(
            invalid("65537 characters", "<p>" + "h".repeat(65_530) + "</p>"),
            wrongType("a number", 5),
            wrongType("a list", List.of("<p>x</p>")));

    /** ONLYOFFICE's UTC date-times, e.g. 2020-10-01T17:04:32.0000000, within what can be stored. */
    static final List<Bad> DATE_TIME = List.of(
            invalid("words", "next tuesday"),
            invalid("a date without a time", "2030-10-01"),
            invalid("February 30", "2030-02-30T10:00:00"),
            invalid("hour 24", "2030-10-01T24:00:00"),
            invalid("an offset beyond 18 hours", "2030-10-01T17:04:32+25:00"),
            invalid("41 characters", "2030-10-01T17:04:32." + "0".repeat(21)),
            invalid("the year 10000", "+10000-01-01T00:00:00"),
            invalid("a year before Christ", "-0001-01-01T00:00:00"),
            invalid("9999-12-31 at 23:00 in UTC-18 (the year 10000 in UTC)", "9999-12-31T23:00:00-18:00"),
            wrongType("a number", 20301001),
            wrongType("an object", Map.of("year", 2030)));

    /** Addresses the platform must refuse wherever an address is taken. */
    static final List<Bad> INVALID_ADDRESSES = List.of(
            invalid("an address without @", "anna.example.com"),
            invalid("an address with two @", "anna@bob@example.com"),
            invalid("an address with a space", "anna smith@example.com"),
            invalid("an address without a dot in the domain", "a@b"),
            invalid("an address with a 65-character local part", "a".repeat(65) + "@example.com"),
            invalid("an address with a trailing dot", "anna@example.com."),
            invalid("an address of 305 characters",
                    "a".repeat(64) + "@" + ("b".repeat(63) + ".").repeat(3) + "c".repeat(40) + ".example"),
            invalid("an address with nothing before @", "@example.com"),
            invalid("an address with nothing after @", "anna@"),
            invalid("an address with a leading dot", ".anna@example.com"),
            invalid("an address with two dots in a row", "an..na@example.com"),
            invalid("an address with an empty domain label", "anna@example..com"),
            invalid("an address with a domain label starting with a hyphen", "anna@-example.com"),
            invalid("an address with a 64-character domain label", "anna@" + "d".repeat(64) + ".com"),
            invalid("an address with a numeric top-level domain", "anna@example.123"),
            invalid("an address with an IP literal", "anna@[192.0.2.1]"),
            invalid("an address with an underscore in the domain", "anna@ex_ample.com"),
            invalid("an address with a non-ASCII local part", "änna@example.com"),
            invalid("an address with a NUL character", "anna\u0000@example.com"),
            invalid("an address with a header injection", "anna@example.com\r\nBcc: eve@example.net"));

    // ---------------------------------------------------------------------------------------
    // The write endpoints
    // ---------------------------------------------------------------------------------------

    /** A write endpoint: who calls it, on which path, and a body it would accept. */
    record Endpoint(String name, String method, String path, Function<World, RequestSpecification> caller,
                    Function<World, Map<String, Object>> pathParams, Function<World, Map<String, Object>> example,
                    String notFoundCode) {

        /** A fresh body this endpoint would accept. */
        Map<String, Object> validBody() {
            return example.apply(world());
        }

        Response send(Object body) {
            return send(body, null, Map.of());
        }

        Response send(Object body, String contentType, Map<String, Object> paramOverrides) {
            World w = world();
            Map<String, Object> params = new LinkedHashMap<>(pathParams.apply(w));
            params.putAll(paramOverrides);
            RequestSpecification request = caller.apply(w).pathParams(params);
            if (contentType != null) {
                request.contentType(contentType);
            }
            if (body instanceof byte[] bytes) {
                request.body(bytes);
            } else if (body instanceof String text) {
                request.body(text);
            } else if (body != null) {
                request.body(toJson(body));
            }
            return request.request(method, path);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Endpoint CREATE_RESELLER = new Endpoint("POST /resellers", "POST", RESELLERS,
            w -> Fixtures.asMaster(), w -> Map.of(), w -> newReseller(), null);
    static final Endpoint UPDATE_RESELLER = new Endpoint("PUT /resellers/{id}", "PUT", RESELLERS + "/{id}",
            w -> Fixtures.asMaster(), w -> Map.of("id", w.reseller().id()),
            w -> body("displayName", "Renamed reseller"), "RESELLER_NOT_FOUND");
    static final Endpoint SET_TENANT = new Endpoint("PUT /resellers/{id}/tenant", "PUT", RESELLERS + "/{id}/tenant",
            w -> Fixtures.as(w.reseller()), w -> Map.of("id", w.reseller().id()),
            w -> body("login", unique("tenant"), "password", secret()), "RESELLER_NOT_FOUND");
    static final Endpoint CREATE_CONTEXT = new Endpoint("POST /contexts", "POST", CONTEXTS,
            w -> Fixtures.as(w.reseller()), w -> Map.of(), w -> newContext(), null);
    static final Endpoint UPDATE_CONTEXT = new Endpoint("PUT /contexts/{cid}", "PUT", CONTEXTS + "/{cid}",
            w -> Fixtures.as(w.reseller()), w -> Map.of("cid", w.context().id()),
            w -> body("maxUsers", 50), "CONTEXT_NOT_FOUND");
    static final Endpoint CREATE_USER = new Endpoint("POST /users", "POST", USERS,
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id()),
            w -> newUser(w.context()), null);
    static final Endpoint UPDATE_USER = new Endpoint("PUT /users/{id}", "PUT", USERS + "/{id}",
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id(), "id", w.alice().id()),
            w -> body("displayName", "Renamed user"), "USER_NOT_FOUND");
    static final Endpoint CHANGE_PASSWORD = new Endpoint("PUT /users/{id}/password", "PUT", USERS + "/{id}/password",
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id(), "id", w.alice().id()),
            w -> body("password", secret()), "USER_NOT_FOUND");
    static final Endpoint ADD_ALIAS = new Endpoint("PUT /users/{id}/aliases/{alias}", "PUT", USERS + "/{id}/aliases/{alias}",
            w -> Fixtures.asQualified(w.context()),
            w -> Map.of("cid", w.context().id(), "id", w.alice().id(), "alias", unique("new.") + "@" + w.context().domain()),
            w -> null, "USER_NOT_FOUND");
    static final Endpoint CREATE_GROUP = new Endpoint("POST /groups", "POST", GROUPS,
            w -> Fixtures.asQualified(w.groupContext()), w -> Map.of("cid", w.groupContext().id()),
            w -> body("name", unique("g"), "displayName", "Group", "members", List.of(w.member().id())), null);
    static final Endpoint UPDATE_GROUP = new Endpoint("PUT /groups/{id}", "PUT", GROUPS + "/{id}",
            w -> Fixtures.asQualified(w.groupContext()), w -> Map.of("cid", w.groupContext().id(), "id", w.team()),
            w -> body("displayName", "Renamed team"), "GROUP_NOT_FOUND");
    static final Endpoint AUTHENTICATE = new Endpoint("POST /api/2.0/authentication", "POST", "/api/2.0/authentication",
            w -> Fixtures.anonymous(), w -> Map.of(),
            w -> body("userName", w.alice().name(), "password", w.alice().password()), null);

    static final Endpoint CREATE_MAIL_ACCOUNT = new Endpoint("POST /api/2.0/mail/accounts", "POST", MAIL_ACCOUNTS,
            w -> Fixtures.as(w.mailUser()), w -> Map.of(), w -> mailAccount(MailServers.mailbox()), null);
    static final Endpoint UPDATE_MAIL_ACCOUNT = new Endpoint("PUT /api/2.0/mail/accounts", "PUT", MAIL_ACCOUNTS,
            w -> Fixtures.as(w.mailUser()), w -> Map.of(), w -> with(mailAccount(w.mailbox()), "name", "Renamed"), null);
    static final Endpoint SIMPLE_MAIL_ACCOUNT = new Endpoint("POST /api/2.0/mail/accounts/simple", "POST", MAIL_ACCOUNTS + "/simple",
            w -> Fixtures.as(w.mailUser()), w -> Map.of(), w -> providerAccount(), null);
    static final Endpoint MAIL_ACCOUNT_STATE = new Endpoint("PUT /api/2.0/mail/accounts/state", "PUT", MAIL_ACCOUNTS + "/state",
            w -> Fixtures.as(w.mailUser()), w -> Map.of(), w -> body("email", w.mailbox().email(), "state", true), null);
    static final Endpoint DEFAULT_MAIL_ACCOUNT = new Endpoint("PUT /api/2.0/mail/accounts/default", "PUT", MAIL_ACCOUNTS + "/default",
            w -> Fixtures.as(w.mailUser()), w -> Map.of(), w -> body("email", w.mailbox().email(), "isDefault", true), null);
    static final Endpoint UPDATE_SIGNATURE = new Endpoint("POST /api/2.0/mail/signature/update/{mid}", "POST", MAIL + "/signature/update/{mid}",
            w -> Fixtures.as(w.mailUser()), w -> Map.of("mid", w.mailboxId()),
            w -> body("html", "<p>Best, <b>Jo</b></p>", "isActive", true), "MAIL_ACCOUNT_NOT_FOUND");
    static final Endpoint UPDATE_AUTOREPLY = new Endpoint("POST /api/2.0/mail/autoreply/update/{mid}", "POST", MAIL + "/autoreply/update/{mid}",
            w -> Fixtures.as(w.mailUser()), w -> Map.of("mid", w.mailboxId()),
            w -> body("turnOn", true, "onlyContacts", false, "turnOnToDate", false, "fromDate", "2030-10-01T17:04:32.0000000",
                    "subject", "Away", "html", "<p>Back soon</p>"), "MAIL_ACCOUNT_NOT_FOUND");
    static final Endpoint DELETE_MAIL_ACCOUNT = new Endpoint("DELETE /api/2.0/mail/accounts", "DELETE", MAIL_ACCOUNTS,
            w -> Fixtures.as(w.mailUser()), w -> Map.of(), w -> null, "MAIL_ACCOUNT_NOT_FOUND");
    static final Endpoint ADMIN_DELETE_MAIL_ACCOUNTS = new Endpoint("DELETE /users/{id}/mailaccounts", "DELETE", ADMIN_MAIL_ACCOUNTS,
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id(), "id", w.mailUser().id()),
            w -> null, "USER_NOT_FOUND");
    static final Endpoint ADMIN_DELETE_MAIL_ACCOUNT = new Endpoint("DELETE /users/{id}/mailaccounts/{mid}", "DELETE", ADMIN_MAIL_ACCOUNTS + "/{mid}",
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id(), "id", w.mailUser().id(), "mid", w.mailboxId()),
            w -> null, "USER_NOT_FOUND");

    static final List<Endpoint> MAIL_ENDPOINTS_WITH_BODY = List.of(CREATE_MAIL_ACCOUNT, UPDATE_MAIL_ACCOUNT, SIMPLE_MAIL_ACCOUNT,
            MAIL_ACCOUNT_STATE, DEFAULT_MAIL_ACCOUNT, UPDATE_SIGNATURE, UPDATE_AUTOREPLY);

    static final List<Endpoint> ENDPOINTS_WITH_BODY = Stream.concat(Stream.of(CREATE_RESELLER, UPDATE_RESELLER, SET_TENANT,
            CREATE_CONTEXT, UPDATE_CONTEXT, CREATE_USER, UPDATE_USER, CHANGE_PASSWORD, CREATE_GROUP, UPDATE_GROUP,
            AUTHENTICATE), MAIL_ENDPOINTS_WITH_BODY.stream()).toList();

    // ---------------------------------------------------------------------------------------
    // Tenants the cases run against: created once, as tests in one JVM run one after another
    // ---------------------------------------------------------------------------------------

    record World(ResellerRef reseller, ResellerRef otherReseller, String otherTenantLogin,
                 ContextRef context, UserRef alice, UserRef bob, String bobAlias,
                 ContextRef groupContext, UserRef member, int team, ContextRef otherContext,
                 ResellerRef limitedReseller, ContextRef limitedContext, UserRef limitedUser,
                 UserRef mailUser, Mailbox mailbox, long mailboxId, Mailbox otherMailbox) {
    }

    private static World world;

    static World world() {
        if (world == null) {
            world = createWorld();
        }
        return world;
    }

    private static World createWorld() {
        ResellerRef reseller = Fixtures.reseller();
        ResellerRef otherReseller = Fixtures.reseller();
        String otherTenantLogin = unique("tenant");
        Fixtures.as(otherReseller).body(Map.of("login", otherTenantLogin, "password", secret()))
                .put(RESELLERS + "/{id}/tenant", otherReseller.id()).then().statusCode(204);

        ContextRef context = Fixtures.context(reseller);
        UserRef alice = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        String bobAlias = unique("bob.alias.") + "@" + context.domain();
        Fixtures.as(context).put(USERS + "/{id}/aliases/{alias}", context.id(), bob.id(), bobAlias)
                .then().statusCode(200);

        // Groups live in a context of their own that only ever holds user 3, so 4 is no user of it.
        ContextRef groupContext = Fixtures.context(reseller);
        UserRef member = Fixtures.user(groupContext);
        int team = Fixtures.as(groupContext).body(Map.of("name", "team", "members", List.of(member.id())))
                .post(GROUPS, groupContext.id()).then().statusCode(201).extract().jsonPath().getInt("id");
        Fixtures.as(groupContext).body(Map.of("name", "sales")).post(GROUPS, groupContext.id()).then().statusCode(201);

        ContextRef otherContext = Fixtures.context(reseller);

        // A reseller at its context limit, with a context at its user and quota limits.
        ResellerRef limitedReseller = Fixtures.reseller();
        ContextRef limitedContext = Fixtures.context(limitedReseller);
        Fixtures.asMaster().body(Map.of("restrictions", Map.of("maxContexts", 1)))
                .put(RESELLERS + "/{id}", limitedReseller.id()).then().statusCode(200);
        Fixtures.as(limitedReseller).body(Map.of("maxUsers", 1, "maxQuotaMb", 100))
                .put(CONTEXTS + "/{cid}", limitedContext.id()).then().statusCode(200);
        Map<String, Object> user = newUser(limitedContext);
        user.put("quotaMb", 100);
        int limitedUserId = Fixtures.as(limitedContext).body(user).post(USERS, limitedContext.id())
                .then().statusCode(201).extract().jsonPath().getInt("id");
        UserRef limitedUser = new UserRef(limitedUserId, (String) user.get("name"), (String) user.get("password"),
                (String) user.get("primaryEmail"), limitedContext);

        // A user with an external account on the test mail server, created (and so verified) through the API.
        UserRef mailUser = Fixtures.user(context);
        Mailbox mailbox = MailServers.mailbox();
        long mailboxId = Fixtures.as(mailUser).body(mailAccount(mailbox)).post(MAIL_ACCOUNTS)
                .then().statusCode(201).extract().jsonPath().getLong("response.mailboxId");
        // ... and bob has one too: another user's account, which the mail user must not reach.
        Mailbox otherMailbox = MailServers.mailbox();
        Fixtures.as(bob).body(mailAccount(otherMailbox)).post(MAIL_ACCOUNTS).then().statusCode(201);

        return new World(reseller, otherReseller, otherTenantLogin, context, alice, bob, bobAlias,
                groupContext, member, team, otherContext, limitedReseller, limitedContext, limitedUser,
                mailUser, mailbox, mailboxId, otherMailbox);
    }

    // ---------------------------------------------------------------------------------------
    // Bodies that are no JSON object, or no JSON at all: the same answer on every endpoint
    // ---------------------------------------------------------------------------------------

    /** A body that is not a valid JSON object of the endpoint's shape. */
    record Shape(String label, String contentType, Function<Map<String, Object>, Object> body, String code, String field) {
        @Override
        public String toString() {
            return label + " → " + code;
        }
    }

    static Shape shape(String label, Function<Map<String, Object>, Object> body, String code) {
        return new Shape(label, null, body, code, null);
    }

    /** Sent to every endpoint. */
    static final List<Shape> SHAPES = List.of(
            shape("malformed JSON", b -> "{\"name\":", "MALFORMED_JSON"),
            shape("a JSON array holding the object", b -> "[" + toJson(b) + "]", "INVALID_TYPE"),
            shape("a bare string", b -> "\"hello\"", "INVALID_TYPE"),
            shape("JSON null", b -> "null", "VALIDATION_FAILED"),
            shape("an empty body", b -> "", "VALIDATION_FAILED"),
            new Shape("an unknown field", null, b -> with(b, "isAdmin", true), "UNKNOWN_FIELD", "isAdmin"),
            new Shape("a text/plain body", "text/plain", BadInputTest::toJson, "UNSUPPORTED_MEDIA_TYPE", null));

    /** More ways to break a body: one reader and one HTTP layer handle every body, so two endpoints stand for all. */
    static final List<Shape> MORE_SHAPES = List.of(
            shape("JSON with a comment", b -> "{/* note */" + toJson(b).substring(1), "MALFORMED_JSON"),
            shape("single-quoted JSON", b -> toJson(b).replace('"', '\''), "MALFORMED_JSON"),
            shape("garbage after the object", b -> toJson(b) + " garbage", "MALFORMED_JSON"),
            shape("a field given twice", BadInputTest::withFirstFieldRepeated, "MALFORMED_JSON"),
            shape("invalid UTF-8", b -> invalidUtf8(), "MALFORMED_JSON"),
            shape("an empty array", b -> "[]", "INVALID_TYPE"),
            shape("a bare number", b -> "42", "INVALID_TYPE"),
            shape("a body over the 1 MB limit", b -> with(b, "padding", "p".repeat(1_100_000)), "PAYLOAD_TOO_LARGE"));

    static Stream<Arguments> everyEndpointWithEveryBadShape() {
        // ONLYOFFICE's API renders its errors apart from the rest, so one of its endpoints gets every shape too.
        return Stream.concat(
                ENDPOINTS_WITH_BODY.stream().flatMap(e -> SHAPES.stream().map(s -> Arguments.of(e, s))),
                Stream.of(CREATE_RESELLER, CREATE_USER, CREATE_MAIL_ACCOUNT).flatMap(e -> MORE_SHAPES.stream().map(s -> Arguments.of(e, s))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyEndpointWithEveryBadShape")
    void shouldRejectABodyOfTheWrongShapeOrMediaType(Endpoint endpoint, Shape shape) {
        Object body = shape.body().apply(endpoint.validBody());
        expectRejected(endpoint, shape.code(), shape.field(), () -> endpoint.send(body, shape.contentType(), Map.of()));
    }

    // ---------------------------------------------------------------------------------------
    // Field by field, endpoint by endpoint
    // ---------------------------------------------------------------------------------------

    /** One field (dotted path for nested objects) set to a bad value. */
    record FieldCase(String field, Bad bad) {
        @Override
        public String toString() {
            return field + " " + bad;
        }
    }

    static Stream<FieldCase> cases(String field, List<Bad> bads) {
        return bads.stream().map(b -> new FieldCase(field, b));
    }

    static Stream<FieldCase> required(String... fields) {
        return Stream.of(fields).map(f -> new FieldCase(f, ABSENT));
    }

    static Stream<FieldCase> unknown(String... fields) {
        return Stream.of(fields).map(f -> new FieldCase(f, new Bad("(not a field of this request)", true, "UNKNOWN_FIELD")));
    }

    @SafeVarargs
    static Stream<FieldCase> all(Stream<FieldCase>... streams) {
        return Stream.of(streams).flatMap(s -> s);
    }

    void expectFieldRejected(Endpoint endpoint, FieldCase c) {
        Map<String, Object> body = set(endpoint.validBody(), c.field(), c.bad().value());
        String field = c.bad().code().endsWith("_NOT_FOUND") ? null : c.field();
        expectRejected(endpoint, c.bad().code(), field, () -> endpoint.send(body));
    }

    static Stream<FieldCase> invalidResellerCreations() {
        return all(required("name", "password", "displayName", "brand"),
                cases("name", LOGIN), cases("password", SECRET), cases("displayName", LABEL), cases("brand", BRAND),
                cases("parentId", POSITIVE_ID),
                cases("parentId", List.of(new Bad("a reseller that does not exist", 999_999_999_999L, "RESELLER_NOT_FOUND"))),
                cases("restrictions", NESTED_OBJECT),
                cases("restrictions.maxContexts", COUNT), cases("restrictions.maxUsers", COUNT),
                cases("restrictions.maxQuotaMb", COUNT),
                unknown("restrictions.unlimited"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResellerCreations")
    void shouldNotCreateResellerFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_RESELLER, c);
    }

    static Stream<FieldCase> invalidResellerUpdates() {
        return all(cases("password", SECRET), cases("displayName", LABEL_BASICS), cases("restrictions", NESTED_OBJECT),
                cases("restrictions.maxContexts", COUNT_BASICS), cases("restrictions.maxUsers", COUNT_BASICS),
                cases("restrictions.maxQuotaMb", COUNT_BASICS),
                unknown("name", "brand", "parentId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResellerUpdates")
    void shouldNotUpdateResellerFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_RESELLER, c);
    }

    static Stream<FieldCase> invalidTenantCredentials() {
        return all(required("login", "password"), cases("login", LOGIN), cases("password", SECRET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTenantCredentials")
    void shouldNotSetTenantCredentialsFromInvalidFields(FieldCase c) {
        expectFieldRejected(SET_TENANT, c);
    }

    static Stream<FieldCase> invalidContextCreations() {
        return all(required("name", "adminPassword"),
                cases("id", POSITIVE_ID), cases("id", List.of(invalid("above 2147483647", 2_147_483_648L))),
                cases("name", CONTEXT_NAME), cases("adminLogin", LOGIN), cases("adminPassword", SECRET),
                cases("maxUsers", COUNT), cases("maxQuotaMb", COUNT), cases("resellerId", POSITIVE_ID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidContextCreations")
    void shouldNotCreateContextFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_CONTEXT, c);
    }

    static Stream<FieldCase> invalidContextUpdates() {
        return all(cases("name", CONTEXT_NAME), cases("adminPassword", SECRET), cases("maxUsers", COUNT_BASICS),
                cases("maxQuotaMb", COUNT_BASICS), unknown("id", "adminLogin", "resellerId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidContextUpdates")
    void shouldNotUpdateContextFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_CONTEXT, c);
    }

    static Stream<FieldCase> invalidUserCreations() {
        return all(required("name", "password", "displayName", "primaryEmail"),
                cases("name", LOGIN), cases("password", SECRET), cases("displayName", LABEL),
                cases("primaryEmail", ADDRESS), cases("aliases", ADDRESS_LIST), cases("quotaMb", COUNT),
                cases("quotaMb", List.of(invalid("above 1000000000", 1_000_000_001L))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUserCreations")
    void shouldNotCreateUserFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_USER, c);
    }

    static Stream<FieldCase> invalidUserUpdates() {
        return all(cases("displayName", LABEL_BASICS), cases("primaryEmail", ADDRESS), cases("aliases", ADDRESS_LIST),
                cases("quotaMb", COUNT_BASICS), unknown("name", "password", "id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUserUpdates")
    void shouldNotUpdateUserFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_USER, c);
    }

    static Stream<FieldCase> invalidPasswordChanges() {
        return all(required("password"), cases("password", SECRET), unknown("oldPassword"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPasswordChanges")
    void shouldNotChangePasswordToAnInvalidOne(FieldCase c) {
        expectFieldRejected(CHANGE_PASSWORD, c);
    }

    static Stream<FieldCase> invalidGroupCreations() {
        return all(required("name"), cases("name", LOGIN), cases("displayName", LABEL), cases("members", MEMBERS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidGroupCreations")
    void shouldNotCreateGroupFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_GROUP, c);
    }

    static Stream<FieldCase> invalidGroupUpdates() {
        return all(cases("name", LOGIN), cases("displayName", LABEL_BASICS), cases("members", MEMBERS), unknown("id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidGroupUpdates")
    void shouldNotUpdateGroupFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_GROUP, c);
    }

    /** One-time codes of users with MFA (issue 15): exactly 6 ASCII digits, checked before the password. */
    static final List<Bad> TOTP = List.of(
            invalid("empty", ""),
            invalid("5 digits", "12345"),
            invalid("7 digits", "1234567"),
            invalid("with a letter", "12345a"),
            invalid("with a space", "123 456"),
            invalid("with a trailing line break", "123456\n"),
            invalid("Arabic-Indic digits", "\u0661\u0662\u0663\u0664\u0665\u0666"),
            invalid("fullwidth digits", "\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16"),
            wrongType("a number", 123456),
            wrongType("a list", List.of("123456")),
            wrongType("an object", Map.of("code", "123456")));

    static Stream<FieldCase> invalidSignIns() {
        return all(required("userName", "password"), cases("userName", LOGIN), cases("password", LOGIN_PASSWORD),
                cases("totp", TOTP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSignIns")
    void shouldNotOpenASessionFromInvalidFields(FieldCase c) {
        expectFieldRejected(AUTHENTICATE, c);
    }

    static Stream<FieldCase> invalidMailAccounts() {
        return all(required("email", "server", "smtp_server"),
                cases("email", ADDRESS), cases("name", mailText(255)),
                cases("account", MAIL_LOGIN), cases("password", MAIL_SECRET), cases("port", PORT), cases("server", HOST),
                cases("smtp_account", MAIL_LOGIN), cases("smtp_password", MAIL_SECRET), cases("smtp_port", PORT),
                cases("smtp_server", HOST),
                cases("smtp_auth", FLAG), cases("imap", FLAG), cases("restrict", FLAG),
                cases("incoming_encryption_type", ENCRYPTION), cases("outcoming_encryption_type", ENCRYPTION),
                cases("auth_type_in", AUTH_TYPE), cases("auth_type_smtp", AUTH_TYPE),
                // what ONLYOFFICE answers is not what it takes
                unknown("mailboxId", "enabled", "isDefault", "signature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMailAccounts")
    void shouldNotCreateMailAccountFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_MAIL_ACCOUNT, c);
    }

    static Stream<FieldCase> invalidMailAccountUpdates() {
        return all(required("email", "server", "smtp_server"),
                cases("email", ADDRESS), cases("name", mailText(255)), cases("account", MAIL_LOGIN),
                cases("password", MAIL_SECRET), cases("port", PORT), cases("server", HOST), cases("smtp_port", PORT),
                cases("smtp_server", HOST), cases("imap", FLAG),
                cases("incoming_encryption_type", ENCRYPTION), cases("outcoming_encryption_type", ENCRYPTION),
                cases("auth_type_in", AUTH_TYPE), cases("auth_type_smtp", AUTH_TYPE),
                unknown("mailboxId", "enabled"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMailAccountUpdates")
    void shouldNotUpdateMailAccountFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_MAIL_ACCOUNT, c);
    }

    static Stream<FieldCase> invalidSimpleMailAccounts() {
        return all(required("email", "password"), cases("email", ADDRESS),
                cases("password", plus(MAIL_SECRET, invalid("empty", ""))), unknown("server", "name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSimpleMailAccounts")
    void shouldNotCreateSimpleMailAccountFromInvalidFields(FieldCase c) {
        expectFieldRejected(SIMPLE_MAIL_ACCOUNT, c);
    }

    static Stream<FieldCase> invalidMailAccountStates() {
        return all(required("email", "state"), cases("email", ADDRESS), cases("state", FLAG), unknown("enabled"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMailAccountStates")
    void shouldNotChangeMailAccountStateFromInvalidFields(FieldCase c) {
        expectFieldRejected(MAIL_ACCOUNT_STATE, c);
    }

    static Stream<FieldCase> invalidDefaultMailAccounts() {
        return all(required("email", "isDefault"), cases("email", ADDRESS), cases("isDefault", FLAG), unknown("default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDefaultMailAccounts")
    void shouldNotChangeDefaultMailAccountFromInvalidFields(FieldCase c) {
        expectFieldRejected(DEFAULT_MAIL_ACCOUNT, c);
    }

    static Stream<FieldCase> invalidSignatures() {
        return all(required("isActive"), cases("html", HTML), cases("isActive", FLAG), unknown("mailboxId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSignatures")
    void shouldNotUpdateSignatureFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_SIGNATURE, c);
    }

    static Stream<FieldCase> invalidAutoreplies() {
        return all(required("turnOn"), cases("turnOn", FLAG), cases("onlyContacts", FLAG), cases("turnOnToDate", FLAG),
                cases("fromDate", DATE_TIME), cases("toDate", DATE_TIME), cases("subject", mailText(255)),
                cases("html", HTML), unknown("mailboxId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAutoreplies")
    void shouldNotUpdateAutoreplyFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_AUTOREPLY, c);
    }

    /** Well-formed mail-account requests that still cannot be carried out. */
    record MailCase(String label, Endpoint endpoint, String code, String field, Function<World, Map<String, Object>> body) {
        @Override
        public String toString() {
            return endpoint + ": " + label + " → " + code;
        }
    }

    static Stream<MailCase> refusedMailAccountRequests() {
        return Stream.of(
                new MailCase("a POP3 account with CRAM-MD5", CREATE_MAIL_ACCOUNT, "VALIDATION_FAILED", "auth_type_in",
                        w -> with(CREATE_MAIL_ACCOUNT.validBody(), "imap", false, "port", MailServers.pop3(), "auth_type_in", "CramMd5")),
                new MailCase("a new account without a password", CREATE_MAIL_ACCOUNT, "VALIDATION_FAILED", "password",
                        w -> set(CREATE_MAIL_ACCOUNT.validBody(), "password", MISSING)),
                new MailCase("a new account with an empty password", CREATE_MAIL_ACCOUNT, "VALIDATION_FAILED", "password",
                        w -> with(CREATE_MAIL_ACCOUNT.validBody(), "password", "")),
                new MailCase("a password the mail server refuses", CREATE_MAIL_ACCOUNT, "MAIL_VERIFICATION_FAILED", null,
                        w -> with(CREATE_MAIL_ACCOUNT.validBody(), "password", secret())),
                new MailCase("an SMTP server where nothing listens", CREATE_MAIL_ACCOUNT, "MAIL_VERIFICATION_FAILED", null,
                        w -> with(CREATE_MAIL_ACCOUNT.validBody(), "smtp_port", MailServers.closedPort())),
                new MailCase("an address the user has no account for", UPDATE_MAIL_ACCOUNT, "MAIL_ACCOUNT_NOT_FOUND", null,
                        w -> mailAccount(MailServers.mailbox())),
                new MailCase("a wrong password for the existing account", UPDATE_MAIL_ACCOUNT, "MAIL_VERIFICATION_FAILED", null,
                        w -> with(UPDATE_MAIL_ACCOUNT.validBody(), "password", secret())),
                new MailCase("a domain no settings are known for", SIMPLE_MAIL_ACCOUNT, "MAIL_VERIFICATION_FAILED", null,
                        w -> body("email", unique("x") + "@" + unique("nowhere") + ".example.net", "password", secret())),
                new MailCase("a password the provider refuses", SIMPLE_MAIL_ACCOUNT, "MAIL_VERIFICATION_FAILED", null,
                        w -> with(SIMPLE_MAIL_ACCOUNT.validBody(), "password", secret())),
                new MailCase("an address the user has no account for", MAIL_ACCOUNT_STATE, "MAIL_ACCOUNT_NOT_FOUND", null,
                        w -> with(MAIL_ACCOUNT_STATE.validBody(), "email", "nobody@external.example.net")),
                new MailCase("another user's address", MAIL_ACCOUNT_STATE, "MAIL_ACCOUNT_NOT_FOUND", null,
                        w -> body("email", w.otherMailbox().email(), "state", false)),
                new MailCase("an address the user has no account for", DEFAULT_MAIL_ACCOUNT, "MAIL_ACCOUNT_NOT_FOUND", null,
                        w -> with(DEFAULT_MAIL_ACCOUNT.validBody(), "email", "nobody@external.example.net")),
                new MailCase("an end date without turnOnToDate's date", UPDATE_AUTOREPLY, "VALIDATION_FAILED", "toDate",
                        w -> with(UPDATE_AUTOREPLY.validBody(), "turnOnToDate", true)),
                new MailCase("an empty end date with turnOnToDate", UPDATE_AUTOREPLY, "VALIDATION_FAILED", "toDate",
                        w -> with(UPDATE_AUTOREPLY.validBody(), "turnOnToDate", true, "toDate", "")),
                new MailCase("an end date before the start date", UPDATE_AUTOREPLY, "VALIDATION_FAILED", "toDate",
                        w -> with(UPDATE_AUTOREPLY.validBody(), "toDate", "2030-09-30T23:59:59")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedMailAccountRequests")
    void shouldRefuseAWellFormedMailAccountRequestThatCannotBeCarriedOut(MailCase c) {
        World w = world();
        Map<String, Object> body = c.body().apply(w);
        expectRejected(c.endpoint(), c.code(), c.field(), () -> c.endpoint().send(body));
    }

    @Test
    void shouldNotDeleteAMailAccountWithoutAValidAddressOfTheUsersOwn() {
        World w = world();
        expectRejected(DELETE_MAIL_ACCOUNT, "VALIDATION_FAILED", "email", () -> Fixtures.as(w.mailUser()).delete(MAIL_ACCOUNTS));
        expectRejected(DELETE_MAIL_ACCOUNT, "MAIL_ACCOUNT_NOT_FOUND", null,
                () -> Fixtures.as(w.mailUser()).queryParam("email", "nobody@external.example.net").delete(MAIL_ACCOUNTS));
        expectRejected(DELETE_MAIL_ACCOUNT, "MAIL_ACCOUNT_NOT_FOUND", null,
                () -> Fixtures.as(w.mailUser()).queryParam("email", w.otherMailbox().email()).delete(MAIL_ACCOUNTS));
    }

    /** Bad input to ONLYOFFICE's API from a client that asked for XML (by Accept or by a .xml suffix). */
    record XmlCase(String label, String path, String body, String code) {
        @Override
        public String toString() {
            return label + " → " + code;
        }
    }

    static Stream<XmlCase> badInputAskingForXml() {
        return Stream.of(
                new XmlCase("malformed JSON, Accept: application/xml", MAIL_ACCOUNTS, "{\"email\":", "MALFORMED_JSON"),
                new XmlCase("malformed JSON to accounts.xml", MAIL_ACCOUNTS + ".xml", "{\"email\":", "MALFORMED_JSON"),
                new XmlCase("an unknown field with markup in its name", MAIL_ACCOUNTS, "{\"a<b>&c\": 1}", "UNKNOWN_FIELD"),
                // JSON may escape any character in a name; XML 1.0 cannot carry U+0001 at all
                new XmlCase("an unknown field with a control character in its name", MAIL_ACCOUNTS, "{\"a\\u0001b\": 1}", "UNKNOWN_FIELD"),
                new XmlCase("a port as a string", MAIL_ACCOUNTS, "{\"email\":\"a@example.com\",\"port\":\"143\"}", "INVALID_TYPE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputAskingForXml")
    void shouldAnswerBadMailAccountInputInWellFormedXmlWhenTheClientAsksForXml(XmlCase c) throws Exception {
        World w = world();
        Snapshot before = Snapshot.take();
        Response response = Fixtures.as(w.mailUser()).accept("application/xml").body(c.body()).post(c.path());
        String xml = response.asString();
        String seen = "answer was " + response.statusCode() + " " + response.contentType() + ": " + abbreviate(xml);
        assertEquals(400, response.statusCode(), seen);
        assertTrue(response.contentType().startsWith("application/xml"), seen);
        Document document;
        try {
            document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(response.asByteArray()));
        } catch (SAXException e) {
            throw new AssertionError("the answer is not well-formed XML (" + e.getMessage() + "); " + seen, e);
        }
        XPath xpath = XPathFactory.newInstance().newXPath();
        assertAll(
                () -> assertEquals("1", xpath.evaluate("/result/status", document), seen),
                () -> assertEquals("400", xpath.evaluate("/result/statusCode", document), seen),
                () -> assertEquals(c.code(), xpath.evaluate("/result/error/code", document), seen),
                () -> assertTrue(!xpath.evaluate("/result/error/message", document).isBlank(), seen),
                () -> before.assertUnchanged("the rejected request changed the database; " + seen));
    }

    // ---------------------------------------------------------------------------------------
    // Invalid addresses: as primary address, as alias in the body, as alias in the path
    // ---------------------------------------------------------------------------------------

    static Stream<Bad> invalidAddresses() {
        return INVALID_ADDRESSES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAddresses")
    void shouldNotCreateUserWithInvalidAddress(Bad address) {
        assertAll(
                () -> expectRejected(address.code(), "primaryEmail",
                        () -> CREATE_USER.send(set(CREATE_USER.validBody(), "primaryEmail", address.value()))),
                () -> expectRejected(address.code(), "aliases",
                        () -> CREATE_USER.send(set(CREATE_USER.validBody(), "aliases", List.of(address.value())))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAddresses")
    void shouldNotAddAnInvalidAlias(Bad address) {
        expectRejected(address.code(), "alias", () -> ADD_ALIAS.send(null, null, Map.of("alias", address.value())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAddresses")
    void shouldNotTakeAnInvalidAddressForAMailAccount(Bad address) {
        assertAll(
                () -> expectRejected(CREATE_MAIL_ACCOUNT, address.code(), "email",
                        () -> CREATE_MAIL_ACCOUNT.send(set(CREATE_MAIL_ACCOUNT.validBody(), "email", address.value()))),
                () -> expectRejected(SIMPLE_MAIL_ACCOUNT, address.code(), "email",
                        () -> SIMPLE_MAIL_ACCOUNT.send(set(SIMPLE_MAIL_ACCOUNT.validBody(), "email", address.value()))),
                () -> expectRejected(DELETE_MAIL_ACCOUNT, address.code(), "email",
                        () -> Fixtures.as(world().mailUser()).queryParam("email", address.value()).delete(MAIL_ACCOUNTS)));
    }

    // ---------------------------------------------------------------------------------------
    // Ids and context references in paths
    // ---------------------------------------------------------------------------------------

    static Stream<Arguments> invalidIdsInPaths() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint e : List.of(UPDATE_RESELLER, SET_TENANT, UPDATE_USER, CHANGE_PASSWORD, ADD_ALIAS, UPDATE_GROUP)) {
            boolean longIds = e.path().startsWith(RESELLERS);
            for (String id : List.of("abc", "-1", "0", "1.5", longIds ? "99999999999999999999" : "99999999999")) {
                cases.add(Arguments.of(e, "id", id, "INVALID_ID"));
            }
            cases.add(Arguments.of(e, "id", "999999", e.notFoundCode()));
        }
        for (Endpoint e : List.of(UPDATE_CONTEXT, CREATE_USER, UPDATE_USER, CHANGE_PASSWORD, ADD_ALIAS, CREATE_GROUP,
                UPDATE_GROUP, ADMIN_DELETE_MAIL_ACCOUNTS, ADMIN_DELETE_MAIL_ACCOUNT)) {
            for (String ref : List.of("no-such-context", "0")) {
                cases.add(Arguments.of(e, "cid", ref, "CONTEXT_NOT_FOUND"));
            }
        }
        for (Endpoint e : List.of(ADMIN_DELETE_MAIL_ACCOUNTS, ADMIN_DELETE_MAIL_ACCOUNT)) {
            for (String id : List.of("abc", "-1", "0", "1.5", "99999999999")) {
                cases.add(Arguments.of(e, "id", id, "INVALID_ID"));
            }
            cases.add(Arguments.of(e, "id", "999999", e.notFoundCode()));
        }
        // mailboxIds are 64-bit: 19 digits are too many, 18 are a well-formed id of no account of this user
        for (Endpoint e : List.of(UPDATE_SIGNATURE, UPDATE_AUTOREPLY, ADMIN_DELETE_MAIL_ACCOUNT)) {
            for (String id : List.of("abc", "-1", "0", "1.5", "1e3", "0x10", "9999999999999999999", "99999999999999999999")) {
                cases.add(Arguments.of(e, "mid", id, "INVALID_ID"));
            }
            cases.add(Arguments.of(e, "mid", "999999999999999999", "MAIL_ACCOUNT_NOT_FOUND"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} = {2} → {3}")
    @MethodSource("invalidIdsInPaths")
    void shouldRejectInvalidOrUnknownIdsInThePath(Endpoint endpoint, String param, String value, String code) {
        Object body = endpoint.validBody();
        expectRejected(endpoint, code, null, () -> endpoint.send(body, null, Map.of(param, value)));
    }

    // ---------------------------------------------------------------------------------------
    // Announcements (issue 12)
    // ---------------------------------------------------------------------------------------

    private static final String ANNOUNCEMENTS = "/oxaas/v1/admin/announcements";
    private static Long announcement;

    /** An announcement of the world's reseller, created once. */
    static long announcement() {
        if (announcement == null) {
            announcement = Fixtures.as(world().reseller()).body(newAnnouncement()).post(ANNOUNCEMENTS)
                    .then().statusCode(201).extract().jsonPath().getLong("id");
        }
        return announcement;
    }

    static Map<String, Object> newAnnouncement() {
        return body("name", unique("news"), "msgJsonObject", Map.of("text", "News"), "startDatetime", "2090-06-01T08:00:00",
                "endDatetime", "2090-06-02T08:00:00", "timezone", "Europe/Berlin", "discardable", true, "enabled", true);
    }

    static final Endpoint CREATE_ANNOUNCEMENT = new Endpoint("POST /announcements", "POST", ANNOUNCEMENTS,
            w -> Fixtures.as(w.reseller()), w -> Map.of(), w -> newAnnouncement(), null);
    static final Endpoint UPDATE_ANNOUNCEMENT = new Endpoint("PUT /announcements/{id}", "PUT", ANNOUNCEMENTS + "/{id}",
            w -> Fixtures.as(w.reseller()), w -> Map.of("id", announcement()),
            w -> announcement() > 0 ? body("name", "Renamed news") : null, "ANNOUNCEMENT_NOT_FOUND"); // the target exists before any snapshot

    static final List<Bad> TIME_ZONE = List.of(
            invalid("unknown", "Mars/Olympus"),
            invalid("a bare offset", "+01:00"),
            invalid("in lower case", "europe/berlin"),
            invalid("empty", ""),
            invalid("65 characters", "Z".repeat(65)),
            wrongType("a number", 1),
            wrongType("an object", Map.of("id", "UTC")));

    /** Wall-clock times (optionally with an offset) from 1900 to 9998. */
    static final List<Bad> WALL_CLOCK = List.of(
            invalid("words", "next tuesday"),
            invalid("a date without a time", "2090-10-01"),
            invalid("February 30", "2090-02-30T10:00:00"),
            invalid("hour 24", "2090-10-01T24:00:00"),
            invalid("an offset beyond 18 hours", "2090-10-01T17:04:32+25:00"),
            invalid("41 characters", "2090-10-01T17:04:32." + "0".repeat(21)),
            invalid("the year 10000", "+10000-01-01T00:00:00"),
            invalid("a year before Christ", "-0001-01-01T00:00:00"),
            invalid("the year 1899", "1899-12-31T00:00:00"),
            wrongType("a number", 20901001),
            wrongType("an object", Map.of("year", 2090)));

    static final List<Bad> MESSAGE = List.of(
            invalid("JSON null", null),
            invalid("over 65,536 bytes", Map.of("text", "x".repeat(65_536))),
            invalid("65,537 bytes of a string", "é".repeat(32_767) + "x"));

    static final List<Bad> BRAND_LIST = List.of(
            wrongType("a single string", "solo.brand"),
            wrongType("a list with a number", List.of(5)),
            wrongType("a list with an object", List.of(Map.of())),
            invalid("a list with null", Arrays.asList((Object) null)),
            invalid("a list with an invalid brand", List.of("Not A Brand")),
            invalid("1001 brands", IntStream.rangeClosed(1, 1001).mapToObj(i -> "b" + i + ".brand").toList()),
            new Bad("a brand that does not exist", List.of("no-such-brand.example"), "RESELLER_NOT_FOUND"));

    static Stream<FieldCase> invalidAnnouncementCreations() {
        return all(required("name", "msgJsonObject", "startDatetime", "endDatetime", "timezone"),
                cases("name", LABEL), cases("msgJsonObject", MESSAGE), cases("startDatetime", WALL_CLOCK),
                cases("endDatetime", plus(WALL_CLOCK, invalid("before the start", "2090-05-01T00:00"),
                        invalid("the start itself", "2090-06-01T08:00:00"))),
                cases("timezone", TIME_ZONE), cases("discardable", FLAG), cases("enabled", FLAG),
                cases("ownerBrand", BRAND), cases("ownerBrand", List.of(new Bad("a brand that does not exist", "no-such-brand.example", "RESELLER_NOT_FOUND"))),
                cases("brands", BRAND_LIST), cases("id", List.of(wrongType("a numeric string", "5"), wrongType("a fraction", 1.5))),
                unknown("owner", "msg"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAnnouncementCreations")
    void shouldNotCreateAnnouncementFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_ANNOUNCEMENT, c);
    }

    static Stream<FieldCase> invalidAnnouncementUpdates() {
        return all(cases("name", LABEL_BASICS), cases("msgJsonObject", MESSAGE), cases("startDatetime", WALL_CLOCK),
                cases("startDatetime", List.of(invalid("after the stored end", "2091-01-01T00:00"))),
                cases("endDatetime", plus(WALL_CLOCK, invalid("before the stored start", "2090-05-01T00:00"))),
                cases("timezone", TIME_ZONE), cases("discardable", FLAG), cases("enabled", FLAG),
                cases("ownerBrand", BRAND), cases("brands", BRAND_LIST),
                cases("id", List.of(invalid("another announcement's id", 999_999_999L), wrongType("a numeric string", "5"))),
                cases("version", List.of(invalid("negative", -1), wrongType("a numeric string", "0"), wrongType("a fraction", 0.5))),
                unknown("owner"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAnnouncementUpdates")
    void shouldNotUpdateAnnouncementFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_ANNOUNCEMENT, c);
    }

    static Stream<Arguments> announcementEndpointsWithEveryBadShape() {
        return Stream.of(CREATE_ANNOUNCEMENT, UPDATE_ANNOUNCEMENT).flatMap(e -> SHAPES.stream().map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("announcementEndpointsWithEveryBadShape")
    void shouldRejectAnAnnouncementBodyOfTheWrongShapeOrMediaType(Endpoint endpoint, Shape shape) {
        shouldRejectABodyOfTheWrongShapeOrMediaType(endpoint, shape);
    }

    static Stream<Arguments> invalidAnnouncementIdsInPaths() {
        return Stream.concat(Stream.of("abc", "-1", "0", "1.5", "1e3", "9999999999999999999").map(id -> Arguments.of(id, "INVALID_ID")),
                Stream.of(Arguments.of("999999999", "ANNOUNCEMENT_NOT_FOUND")));
    }

    @ParameterizedTest(name = "PUT /announcements/{0} → {1}")
    @MethodSource("invalidAnnouncementIdsInPaths")
    void shouldRejectInvalidOrUnknownAnnouncementIdsInThePath(String id, String code) {
        Object body = UPDATE_ANNOUNCEMENT.validBody();
        expectRejected(UPDATE_ANNOUNCEMENT, code, null, () -> UPDATE_ANNOUNCEMENT.send(body, null, Map.of("id", id)));
    }

    @Test
    void shouldNotLetAUserOrAdminReachAnotherUsersMailAccountByItsId() {
        World w = world();
        // alice, in the same context, and the mail user's admin on alice's path
        for (Endpoint e : List.of(UPDATE_SIGNATURE, UPDATE_AUTOREPLY)) {
            expectRejected(e, "MAIL_ACCOUNT_NOT_FOUND", null, () -> Fixtures.as(w.alice()).body(toJson(e.validBody()))
                    .post(e.path(), Map.of("mid", w.mailboxId())));
        }
        expectRejected(ADMIN_DELETE_MAIL_ACCOUNT, "MAIL_ACCOUNT_NOT_FOUND", null,
                () -> ADMIN_DELETE_MAIL_ACCOUNT.send(null, null, Map.of("id", w.alice().id())));
    }

    // ---------------------------------------------------------------------------------------
    // Duplicates, restrictions and stale versions: 409 / 412 with the specific code
    // ---------------------------------------------------------------------------------------

    /** A request that is well-formed but conflicts with what exists. */
    record Conflict(String label, String code, Function<World, Response> request) {
        @Override
        public String toString() {
            return label + " → " + code;
        }
    }

    static Conflict conflict(String label, String code, Function<World, Response> request) {
        return new Conflict(label, code, request);
    }

    static Stream<Conflict> conflicts() {
        return Stream.of(
                conflict("a reseller with a taken name", "RESELLER_EXISTS",
                        w -> CREATE_RESELLER.send(with(newReseller(), "name", w.reseller().name()))),
                conflict("a reseller whose name differs from a taken one only in case", "RESELLER_EXISTS",
                        w -> CREATE_RESELLER.send(with(newReseller(), "name", w.reseller().name().toUpperCase()))),
                conflict("a reseller named like the master admin", "RESELLER_EXISTS",
                        w -> CREATE_RESELLER.send(with(newReseller(), "name", Fixtures.MASTER_LOGIN))),
                conflict("a reseller with a taken brand", "BRAND_EXISTS",
                        w -> CREATE_RESELLER.send(with(newReseller(), "brand", w.reseller().brand()))),
                conflict("tenant credentials with another brand's tenant login", "TENANT_LOGIN_EXISTS",
                        w -> SET_TENANT.send(body("login", w.otherTenantLogin(), "password", secret()))),
                conflict("a context with a taken name", "CONTEXT_EXISTS",
                        w -> CREATE_CONTEXT.send(with(newContext(), "name", w.context().name()))),
                conflict("a context whose name differs from a taken one only in case", "CONTEXT_EXISTS",
                        w -> CREATE_CONTEXT.send(with(newContext(), "name", w.context().name().toUpperCase()))),
                conflict("a context with a taken id", "CONTEXT_EXISTS",
                        w -> CREATE_CONTEXT.send(with(newContext(), "id", w.context().id()))),
                conflict("renaming a context to a taken name", "CONTEXT_EXISTS",
                        w -> UPDATE_CONTEXT.send(body("name", w.otherContext().name()))),
                conflict("a user with a taken login", "USER_EXISTS",
                        w -> CREATE_USER.send(with(newUser(w.context()), "name", w.alice().name()))),
                conflict("a user whose login differs from a taken one only in case", "USER_EXISTS",
                        w -> CREATE_USER.send(with(newUser(w.context()), "name", w.alice().name().toUpperCase()))),
                conflict("a user whose login is taken in another context", "USER_EXISTS",
                        w -> Fixtures.asQualified(w.otherContext()).body(with(newUser(w.otherContext()), "name", w.alice().name()))
                                .post(USERS, w.otherContext().id())),
                conflict("a user whose address is another user's address", "ADDRESS_EXISTS",
                        w -> CREATE_USER.send(with(newUser(w.context()), "primaryEmail", w.alice().email()))),
                conflict("a user whose address is another user's address in upper case", "ADDRESS_EXISTS",
                        w -> CREATE_USER.send(with(newUser(w.context()), "primaryEmail", w.alice().email().toUpperCase()))),
                conflict("a user whose address is another user's alias", "ADDRESS_EXISTS",
                        w -> CREATE_USER.send(with(newUser(w.context()), "primaryEmail", w.bobAlias()))),
                conflict("a user with an alias that is another user's address", "ADDRESS_EXISTS",
                        w -> CREATE_USER.send(with(newUser(w.context()), "aliases", List.of(w.alice().email())))),
                conflict("changing a user's address to another user's address", "ADDRESS_EXISTS",
                        w -> UPDATE_USER.send(body("displayName", "Renamed user", "primaryEmail", w.bob().email()))),
                conflict("changing a user's aliases to include another user's alias", "ADDRESS_EXISTS",
                        w -> UPDATE_USER.send(body("aliases", List.of(w.bobAlias().toUpperCase())))),
                conflict("adding an alias that is another user's address", "ADDRESS_EXISTS",
                        w -> ADD_ALIAS.send(null, null, Map.of("alias", w.bob().email()))),
                conflict("adding an alias that is another user's alias in upper case", "ADDRESS_EXISTS",
                        w -> ADD_ALIAS.send(null, null, Map.of("alias", w.bobAlias().toUpperCase()))),
                conflict("a group with a taken name", "GROUP_EXISTS",
                        w -> CREATE_GROUP.send(body("name", "team"))),
                conflict("a group whose name differs from a taken one only in case", "GROUP_EXISTS",
                        w -> CREATE_GROUP.send(body("name", "TEAM"))),
                conflict("renaming a group to a taken name", "GROUP_EXISTS",
                        w -> UPDATE_GROUP.send(body("name", "sales", "displayName", "Sales"))),
                conflict("a context beyond the reseller's maxContexts", "LIMIT_EXCEEDED",
                        w -> Fixtures.as(w.limitedReseller()).body(newContext()).post(CONTEXTS)),
                conflict("a user beyond the context's maxUsers", "LIMIT_EXCEEDED",
                        w -> Fixtures.asQualified(w.limitedContext()).body(newUser(w.limitedContext()))
                                .post(USERS, w.limitedContext().id())),
                conflict("renaming a user while raising the quota beyond the context's maxQuotaMb", "LIMIT_EXCEEDED",
                        w -> Fixtures.asQualified(w.limitedContext()).body(body("displayName", "Renamed", "quotaMb", 101))
                                .put(USERS + "/{id}", w.limitedContext().id(), w.limitedUser().id())),
                conflict("renaming a context while lowering maxUsers below its users", "LIMIT_EXCEEDED",
                        w -> Fixtures.as(w.limitedReseller()).body(body("name", unique("renamed"), "maxUsers", 0))
                                .put(CONTEXTS + "/{cid}", w.limitedContext().id())),
                conflict("a reseller update with a stale If-Match", "PRECONDITION_FAILED",
                        w -> Fixtures.asMaster().header("If-Match", "\"999\"").body(body("displayName", "Stale"))
                                .put(RESELLERS + "/{id}", w.reseller().id())),
                conflict("a context update with a stale If-Match", "PRECONDITION_FAILED",
                        w -> Fixtures.as(w.reseller()).header("If-Match", "\"999\"").body(body("maxUsers", 7))
                                .put(CONTEXTS + "/{cid}", w.context().id())),
                conflict("a user update with a stale If-Match", "PRECONDITION_FAILED",
                        w -> Fixtures.asQualified(w.context()).header("If-Match", "\"999\"").body(body("displayName", "Stale"))
                                .put(USERS + "/{id}", w.context().id(), w.alice().id())),
                conflict("a group update with a stale If-Match", "PRECONDITION_FAILED",
                        w -> Fixtures.asQualified(w.groupContext()).header("If-Match", "\"999\"").body(body("displayName", "Stale"))
                                .put(GROUPS + "/{id}", w.groupContext().id(), w.team())),
                conflict("a session with a wrong password", "UNAUTHENTICATED",
                        w -> AUTHENTICATE.send(body("userName", w.alice().name(), "password", secret()))),
                conflict("a session for a login that does not exist", "UNAUTHENTICATED",
                        w -> AUTHENTICATE.send(body("userName", unique("nobody"), "password", secret()))),
                conflict("a session for a context admin (not a user)", "UNAUTHENTICATED",
                        w -> AUTHENTICATE.send(body("userName", w.context().adminLogin() + "@" + w.context().name(),
                                "password", w.context().adminPassword()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void shouldRejectAConflictingRequestWithItsSpecificCode(Conflict c) {
        World w = world();
        expectRejected(c.code(), null, () -> c.request().apply(w));
    }

    @Test
    void shouldChangeNothingWhenAddingAnAliasTheUserAlreadyHas() {
        // Documented: "Adding an alias the user already has changes nothing."
        World w = world();
        Snapshot before = Snapshot.take();
        ADD_ALIAS.send(null, null, Map.of("id", w.bob().id(), "alias", w.bobAlias())).then().statusCode(200);
        before.assertUnchanged("re-adding an existing alias changed the database");
    }

    @Test
    void shouldNotCreateResellerNamedLikeTheMasterAdminInAnyCase() {
        // Reseller names are compared without case everywhere, logins included: "MASTER" would sign in as "master".
        for (String name : List.of("MASTER", "Master")) {
            expectRejected("RESELLER_EXISTS", null, () -> CREATE_RESELLER.send(with(newReseller(), "name", name)));
        }
        assertEquals(0, Db.count("SELECT COUNT(*) FROM resellers WHERE name = ?", Fixtures.MASTER_LOGIN),
                "a reseller shares the master admin's login");
    }

    // ---------------------------------------------------------------------------------------
    // Canonical addresses
    // ---------------------------------------------------------------------------------------

    @Test
    void shouldStoreInternationalDomainsAsLowercasePunycode() {
        ContextRef context = world().context();
        String local = unique("anna.");
        // Domains are unique platform-wide: claim fresh subdomains of the IDN domains for this run.
        String sub = unique("d");
        for (String domain : List.of(sub + ".bücher.example", sub + ".MÜNCHEN.Example")) {
            Fixtures.as(context).put("/oxaas/v1/admin/contexts/{cid}/domains/{d}", context.id(), domain).then().statusCode(201);
        }
        Map<String, Object> user = with(newUser(context), "primaryEmail", local + "@" + sub + ".bücher.example",
                "aliases", List.of(local + "@" + sub + ".MÜNCHEN.Example"));
        int id = CREATE_USER.send(user).then().statusCode(201)
                .body("primaryEmail", equalTo(local + "@" + sub + ".xn--bcher-kva.example"))
                .body("aliases", contains(local + "@" + sub + ".xn--mnchen-3ya.example"))
                .extract().jsonPath().getInt("id");
        assertEquals(local + "@" + sub + ".xn--bcher-kva.example", Db.string(
                "SELECT primary_email FROM users WHERE context_id = ? AND user_id = ?", context.id(), id));
        assertEquals(local + "@" + sub + ".xn--mnchen-3ya.example", Db.string(
                "SELECT a.address FROM user_aliases a JOIN users u ON u.pk = a.user_pk WHERE u.context_id = ? AND u.user_id = ?",
                context.id(), id));
        // The same addresses, written as Unicode in another case or as punycode, are taken.
        expectRejected("ADDRESS_EXISTS", null,
                () -> CREATE_USER.send(with(newUser(context), "primaryEmail", local + "@" + sub + ".BÜCHER.example")));
        expectRejected("ADDRESS_EXISTS", null,
                () -> CREATE_USER.send(with(newUser(context), "primaryEmail", local + "@" + sub + ".xn--mnchen-3ya.example")));
    }

    @Test
    void shouldNotCreateUserWithAnAddressThatDiffersFromATakenOneOnlyInCase() {
        ContextRef context = world().context();
        String local = unique("alice.");
        CREATE_USER.send(with(newUser(context), "primaryEmail", local + "@" + context.domain())).then().statusCode(201);
        String shouted = local.toUpperCase() + "@" + context.domain().toUpperCase();
        expectRejected("ADDRESS_EXISTS", null,
                () -> CREATE_USER.send(with(newUser(context), "primaryEmail", shouted)));
        expectRejected("ADDRESS_EXISTS", null,
                () -> CREATE_USER.send(with(newUser(context), "aliases", List.of(shouted))));
    }

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    /**
     * Sends the request and checks the answer is a problem document with {@code code} (naming
     * {@code field} among its errors when given) and that the database is exactly as before.
     */
    static void expectRejected(String code, String field, Supplier<Response> request) {
        expectRejected(false, code, field, request);
    }

    /** As {@link #expectRejected(String, String, Supplier)}, in the error shape of the endpoint's API. */
    static void expectRejected(Endpoint endpoint, String code, String field, Supplier<Response> request) {
        expectRejected(endpoint.path().startsWith(MAIL + "/"), code, field, request);
    }

    /**
     * Sends the request and checks the answer names {@code code} (and {@code field} among its
     * errors when given), as a problem document or, for ONLYOFFICE's API, as its error envelope
     * {@code {"status":1,"statusCode":N,"error":{"message","code","errors"}}}; and that the
     * database is exactly as before.
     */
    private static void expectRejected(boolean onlyoffice, String code, String field, Supplier<Response> request) {
        Snapshot before = Snapshot.take();
        Response response = request.get();
        int status = statusOf(code);
        String seen = "answer was " + response.statusCode() + " " + response.contentType() + ": " + abbreviate(response.asString());
        assertAll(
                () -> {
                    assertEquals(status, response.statusCode(), seen);
                    JsonNode body = Json.of(response);
                    if (onlyoffice) {
                        assertEquals("application/json", response.contentType().split(";")[0].trim(), seen);
                        JsonNode error = body.path("error");
                        assertTrue(Json.isNumber(body.path("status"), 1), seen);
                        assertTrue(Json.isNumber(body.path("statusCode"), status), seen);
                        assertTrue(Json.isNonEmptyText(error.path("message")), seen);
                        assertEquals(code, error.path("code").asText(null), seen);
                        assertFalse(body.has("code") || body.has("response"), seen);
                        if (field != null) {
                            expectFieldNamed(error.path("errors"), field, seen);
                        }
                        return;
                    }
                    assertEquals(PROBLEM_JSON, response.contentType().split(";")[0].trim(), seen);
                    for (String text : List.of("type", "title", "detail")) {
                        assertTrue(Json.isNonEmptyText(body.path(text)), text + "; " + seen);
                    }
                    assertTrue(Json.isNumber(body.path("status"), status), seen);
                    assertEquals(code, body.path("code").asText(null), seen);
                    if (field != null) {
                        expectFieldNamed(body.path("errors"), field, seen);
                    }
                },
                () -> before.assertUnchanged("the rejected request changed the database; " + seen));
    }

    /** The answer's errors name {@code field} (or a field under it), and every error says what is wrong. */
    private static void expectFieldNamed(JsonNode errors, String field, String seen) {
        assertTrue(Json.texts(errors, "field").stream().anyMatch(f -> f != null && f.startsWith(field)), field + "; " + seen);
        Json.texts(errors, "message").forEach(message -> assertTrue(message != null && !message.isEmpty(), seen));
    }

    static int statusOf(String code) {
        if (code.endsWith("_EXISTS") || code.equals("LIMIT_EXCEEDED")) {
            return 409;
        }
        if (code.endsWith("_NOT_FOUND")) {
            return 404;
        }
        return switch (code) {
            case "UNAUTHENTICATED" -> 401;
            case "NO_PRIMARY_ADDRESS" -> 409;
            case "PRECONDITION_FAILED" -> 412;
            case "PAYLOAD_TOO_LARGE" -> 413;
            case "UNSUPPORTED_MEDIA_TYPE" -> 415;
            default -> 400;
        };
    }

    static Map<String, Object> newReseller() {
        String name = unique("res");
        return body("name", name, "password", secret(), "displayName", "Reseller " + name, "brand", name + ".brand");
    }

    static Map<String, Object> newContext() {
        return body("name", unique("ctx"), "adminPassword", secret());
    }

    static Map<String, Object> newUser(ContextRef context) {
        String login = unique("u") + "@" + context.domain();
        return body("name", login, "password", secret(), "displayName", "User " + login, "primaryEmail", login);
    }

    /** Full settings of a mailbox on the test mail server: IMAP and SMTP without TLS. */
    static Map<String, Object> mailAccount(Mailbox box) {
        return body("name", "External " + box.login(), "email", box.email(), "account", box.login(), "password", box.password(),
                "server", MailServers.HOST, "port", MailServers.imap(), "incoming_encryption_type", "None", "auth_type_in", "Login",
                "smtp_server", MailServers.HOST, "smtp_port", MailServers.smtp(), "outcoming_encryption_type", "None",
                "smtp_auth", true, "auth_type_smtp", "Login", "imap", true, "restrict", true);
    }

    /** An address of the provider the service knows settings for, with a mailbox on the test mail server. */
    static Map<String, Object> providerAccount() {
        String email = unique("prov") + "@" + MailServerResource.PROVIDER_DOMAIN;
        String password = secret();
        MailServers.get().setUser(email, email, password);
        return body("email", email, "password", password);
    }

    /** A mutable JSON object from key/value pairs. */
    static Map<String, Object> body(Object... keysAndValues) {
        return with(new LinkedHashMap<>(), keysAndValues);
    }

    static Map<String, Object> with(Map<String, Object> body, Object... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    /** Sets (or with {@link #MISSING} removes) a field given as a dotted path. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> set(Map<String, Object> body, String path, Object value) {
        Map<String, Object> target = body;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            target = (Map<String, Object>) target.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        if (value == MISSING) {
            target.remove(parts[parts.length - 1]);
        } else {
            target.put(parts[parts.length - 1], value);
        }
        return body;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String withFirstFieldRepeated(Map<String, Object> body) {
        Map.Entry<String, Object> first = body.entrySet().iterator().next();
        String pair = toJson(Map.of(first.getKey(), first.getValue()));
        return "{" + pair.substring(1, pair.length() - 1) + "," + toJson(body).substring(1);
    }

    /** {"<bytes C3 28>": 1} - a field name that is not UTF-8. */
    static byte[] invalidUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"".getBytes(StandardCharsets.US_ASCII));
        out.write(0xC3);
        out.write(0x28);
        out.writeBytes("\": 1}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    // ---------------------------------------------------------------------------------------
    // Notification outbox: status filter, paging and outbox ids
    // ---------------------------------------------------------------------------------------

    static Stream<Arguments> badOutboxRequests() {
        String outbox = "/oxaas/v1/admin/notification/outbox";
        List<Arguments> cases = new ArrayList<>();
        for (String status : List.of("delivered", "QUEUED", "sent,failed", " queued")) {
            cases.add(Arguments.of("GET ?status=" + status, "VALIDATION_FAILED", "status",
                    (Supplier<Response>) () -> Fixtures.asMaster().queryParam("status", status).get(outbox)));
        }
        for (String limit : List.of("0", "1001", "abc", "-1")) {
            cases.add(Arguments.of("GET ?limit=" + limit, "VALIDATION_FAILED", "limit",
                    (Supplier<Response>) () -> Fixtures.asMaster().queryParam("limit", limit).get(outbox)));
        }
        for (String id : List.of("abc", "-1", "0", "1.5", "1e3", "9999999999999999999")) {
            cases.add(Arguments.of("POST " + id + "/retry", "INVALID_ID", "outboxId",
                    (Supplier<Response>) () -> Fixtures.asMaster().post(outbox + "/" + id + "/retry")));
            cases.add(Arguments.of("DELETE " + id, "INVALID_ID", "outboxId",
                    (Supplier<Response>) () -> Fixtures.asMaster().delete(outbox + "/" + id)));
        }
        cases.add(Arguments.of("POST 999999999999/retry", "OUTBOX_ENTRY_NOT_FOUND", null,
                (Supplier<Response>) () -> Fixtures.asMaster().post(outbox + "/999999999999/retry")));
        cases.add(Arguments.of("DELETE 999999999999", "OUTBOX_ENTRY_NOT_FOUND", null,
                (Supplier<Response>) () -> Fixtures.asMaster().delete(outbox + "/999999999999")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("badOutboxRequests")
    void shouldRejectABadOutboxRequest(String label, String code, String field, Supplier<Response> request) {
        expectRejected(code, field, request);
    }

    static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    // ---------------------------------------------------------------------------------------
    // Notifications (issue 12): templates, the brand's default locale, the over-quota body, usercontext
    // ---------------------------------------------------------------------------------------

    static final String NOTIFICATION = "/oxaas/v1/admin/notification";

    static final Endpoint PUT_TEMPLATE = new Endpoint("PUT /notification/templates/{kind}/{locale}", "PUT",
            NOTIFICATION + "/templates/{kind}/{locale}", w -> Fixtures.as(w.reseller()), w -> Map.of("kind", "welcome", "locale", "en"),
            w -> body("subject", "Hello {display_name}", "text", "Welcome to {brand_name}.", "html", "<p>Welcome</p>"), null);
    static final Endpoint SET_DEFAULT_LOCALE = new Endpoint("PUT /notification/templates/default-locale", "PUT",
            NOTIFICATION + "/templates/default-locale", w -> Fixtures.as(w.reseller()), w -> Map.of(), w -> body("default_locale", "de"), null);
    /** Refused before anything is queued: the cases below never reach the outbox. */
    static final Endpoint OVERQUOTA = new Endpoint("POST /notification/overquota/{usercontext}", "POST",
            NOTIFICATION + "/overquota/{usercontext}", w -> Fixtures.as(w.reseller()),
            w -> Map.of("usercontext", w.alice().id() + "@" + w.context().id()), w -> body("quota_threshold", 1000), "USER_NOT_FOUND");

    static final List<Endpoint> NOTIFICATION_ENDPOINTS_WITH_BODY = List.of(PUT_TEMPLATE, SET_DEFAULT_LOCALE, OVERQUOTA);

    /** Template parts that are no valid template: they would fail at send time, so they fail when stored. */
    static final List<Bad> TEMPLATE_SOURCE = List.of(
            invalid("an unterminated expression", "Hello {display_name"),
            invalid("an unterminated section", "{#if quota}big"),
            invalid("an unknown variable", "Your password: {password}"),
            invalid("a method call", "{display_name.toUpperCase()}"),
            invalid("a namespace", "{inject:mailplaneConfig}"),
            invalid("an include", "{#include welcome /}"),
            invalid("a loop", "{#for x in login}{x}{/for}"),
            invalid("a comparison that fails without the value", "{#if quota_threshold > 5}x{/if}"),
            wrongType("a number", 5),
            wrongType("a list", List.of("x")));

    static Stream<Arguments> notificationEndpointsWithEveryBadShape() {
        return NOTIFICATION_ENDPOINTS_WITH_BODY.stream().flatMap(e -> SHAPES.stream().map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("notificationEndpointsWithEveryBadShape")
    void shouldRejectANotificationBodyOfTheWrongShapeOrMediaType(Endpoint endpoint, Shape shape) {
        Object body = shape.body().apply(endpoint.validBody());
        expectRejected(endpoint, shape.code(), shape.field(), () -> endpoint.send(body, shape.contentType(), Map.of()));
    }

    static Stream<FieldCase> invalidTemplates() {
        return all(required("subject", "text"),
                cases("subject", plus(TEMPLATE_SOURCE, invalid("empty", ""), invalid("256 characters", "s".repeat(256)),
                        invalid("with a line break", "Hello\r\nBcc: eve@example.net"), invalid("with a NUL character", "a\u0000b"))),
                cases("text", plus(TEMPLATE_SOURCE, invalid("empty", ""), invalid("65537 characters", "t".repeat(65_537)),
                        invalid("with a NUL character", "a\u0000b"), invalid("with an escape sequence", "a\u001B[31mb"))),
                cases("html", plus(TEMPLATE_SOURCE, invalid("262145 characters", "h".repeat(262_145)))),
                unknown("kind", "locale", "source"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTemplates")
    void shouldNotStoreAnInvalidNotificationTemplate(FieldCase c) {
        expectFieldRejected(PUT_TEMPLATE, c);
    }

    static Stream<FieldCase> invalidDefaultLocales() {
        return all(required("default_locale"), cases("default_locale", List.of(invalid("empty", ""), invalid("a word", "deutsch"),
                invalid("with an underscore", "de_DE"), invalid("a private-use tag", "de-x-foo"), invalid("with a line break", "de\nX"),
                wrongType("a number", 49), wrongType("a list", List.of("de")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDefaultLocales")
    void shouldNotSetAnInvalidNotificationDefaultLocale(FieldCase c) {
        expectFieldRejected(SET_DEFAULT_LOCALE, c);
    }

    static Stream<FieldCase> invalidOverQuotaBodies() {
        return all(cases("quota_threshold", List.of(invalid("negative", -1), wrongType("a string", "1000"),
                        wrongType("a fraction", 0.5), wrongType("a boolean", true), wrongType("an object", Map.of()))),
                cases("usage", List.of(invalid("negative", -1), wrongType("a string", "10"))), unknown("user", "to"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOverQuotaBodies")
    void shouldNotQueueAnOverQuotaMailFromAnInvalidBody(FieldCase c) {
        expectFieldRejected(OVERQUOTA, c);
    }

    /** {cid} and {uid} in a value stand for the world's context and its user alice. */
    static Stream<Arguments> invalidNotificationPaths() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of(PUT_TEMPLATE, "kind", "goodbye", "VALIDATION_FAILED"));
        for (String locale : List.of("english", "e1", "de_DE", "de-CH-x-private", "de-CH-1996", "123")) {
            cases.add(Arguments.of(PUT_TEMPLATE, "locale", locale, "VALIDATION_FAILED"));
        }
        for (String ref : List.of("3", "3@", "@{cid}", "abc@{cid}", "-3@{cid}", "99999999999@{cid}", "3@a@b", "3@" + "c".repeat(129))) {
            cases.add(Arguments.of(OVERQUOTA, "usercontext", ref, "VALIDATION_FAILED"));
        }
        cases.add(Arguments.of(OVERQUOTA, "usercontext", "999@{cid}", "USER_NOT_FOUND"));
        for (String ref : List.of("{uid}@no-such-context", "{uid}@0", "{uid}@999999999")) {
            cases.add(Arguments.of(OVERQUOTA, "usercontext", ref, "CONTEXT_NOT_FOUND"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} = {2} → {3}")
    @MethodSource("invalidNotificationPaths")
    void shouldRejectAnInvalidKindLocaleOrUsercontextInTheNotificationPath(Endpoint endpoint, String param, String value, String code) {
        Object body = endpoint.validBody();
        String field = code.equals("VALIDATION_FAILED") ? param : null;
        String resolved = value.replace("{cid}", Long.toString(world().context().id())).replace("{uid}", Integer.toString(world().alice().id()));
        expectRejected(endpoint, code, field, () -> endpoint.send(body, null, Map.of(param, resolved)));
    }

    // ---------------------------------------------------------------------------------------
    // Mail statistics (issue 13): the {uid} of /oxaas/v1/mail/{uid}/..., refused before any IMAP
    // ---------------------------------------------------------------------------------------

    static final List<String> MAIL_STATS_PARTS = List.of("all", "newmessages", "quota", "recentmails", "unread", "unread/inbox");

    private static UserRef foreignMailUser;

    /** A user of another brand, which the world's reseller must not reach. */
    static synchronized UserRef foreignMailUser() {
        if (foreignMailUser == null) {
            foreignMailUser = Fixtures.user(Fixtures.context());
        }
        return foreignMailUser;
    }

    /** {cid}, {uid} and {login} in a value stand for the world's context, its user alice and alice's login. */
    static Stream<Arguments> invalidMailStatsUids() {
        List<Arguments> cases = new ArrayList<>();
        for (String part : MAIL_STATS_PARTS) {
            for (String uid : List.of("-3@{cid}", "_alice", "a b", "x".repeat(129), "3@" + "c".repeat(129), "jörg@{cid}", "a,b")) {
                cases.add(Arguments.of(part, uid, "VALIDATION_FAILED"));
            }
            cases.add(Arguments.of(part, "999@{cid}", "USER_NOT_FOUND"));
            cases.add(Arguments.of(part, "no-such-user@nowhere.example", "USER_NOT_FOUND"));
            cases.add(Arguments.of(part, "{uid}@no-such-context", "CONTEXT_NOT_FOUND"));
            cases.add(Arguments.of(part, "{uid}@0", "CONTEXT_NOT_FOUND"));
            // another brand's user, by usercontext and by login: as if it did not exist
            cases.add(Arguments.of(part, "{foreign-uid}@{foreign-cid}", "CONTEXT_NOT_FOUND"));
            cases.add(Arguments.of(part, "{foreign-login}", "USER_NOT_FOUND"));
            // the context admin has no mailbox
            cases.add(Arguments.of(part, "2@{cid}", "NO_PRIMARY_ADDRESS"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "GET /oxaas/v1/mail/{1}/{0} → {2}")
    @MethodSource("invalidMailStatsUids")
    void shouldRefuseMailStatisticsOfAMalformedUnknownOrForeignUidBeforeTalkingImap(String part, String uid, String code) {
        World w = world();
        String resolved = uid.replace("{cid}", Long.toString(w.context().id())).replace("{uid}", Integer.toString(w.alice().id()))
                .replace("{foreign-uid}", Integer.toString(foreignMailUser().id()))
                .replace("{foreign-cid}", Long.toString(foreignMailUser().context().id()))
                .replace("{foreign-login}", foreignMailUser().name());
        String field = code.equals("VALIDATION_FAILED") ? "uid" : null;
        expectRejected(code, field, () -> Fixtures.as(w.reseller()).get("/oxaas/v1/mail/{uid}/" + part, resolved));
    }

    // ---------------------------------------------------------------------------------------
    // Exchange-style mailboxes (issue 14)
    // ---------------------------------------------------------------------------------------

    static final String MAILBOXES = CONTEXTS + "/{cid}/mailboxes";

    /** A context of its own: a user with a mailbox (and the mailbox's alias), a user without one, and a second mailbox. */
    record MailboxWorld(ContextRef context, UserRef owner, long mailboxId, String alias, UserRef withoutMailbox, long secondMailboxId) {
    }

    private static MailboxWorld mailboxWorld;

    static MailboxWorld mailboxWorld() {
        if (mailboxWorld == null) {
            ContextRef context = Fixtures.context(world().reseller());
            UserRef owner = Fixtures.user(context);
            String alias = unique("box");
            long id = Fixtures.as(context).body(body("user_id", owner.id(), "alias", alias, "primary_email_address", owner.email(),
                            "size_limit", 1024)).post(MAILBOXES, context.id())
                    .then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
            long second = Fixtures.as(context).body(newMailbox(context)).post(MAILBOXES, context.id())
                    .then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
            mailboxWorld = new MailboxWorld(context, owner, id, alias, Fixtures.user(context), second);
        }
        return mailboxWorld;
    }

    static Map<String, Object> newMailbox(ContextRef context) {
        String login = unique("mb") + "@" + context.domain();
        return body("new_user", body("login", login, "password", secret(), "display_name", "Mailbox user"), "alias", unique("box"),
                "primary_email_address", login, "size_limit", 1024);
    }

    static final Endpoint CREATE_MAILBOX = new Endpoint("POST /mailboxes", "POST", MAILBOXES,
            w -> Fixtures.asQualified(mailboxWorld().context()), w -> Map.of("cid", mailboxWorld().context().id()),
            w -> newMailbox(mailboxWorld().context()), null);
    static final Endpoint UPDATE_MAILBOX = new Endpoint("PUT /mailboxes/{id}", "PUT", MAILBOXES + "/{id}",
            w -> Fixtures.asQualified(mailboxWorld().context()),
            w -> Map.of("cid", mailboxWorld().context().id(), "id", mailboxWorld().mailboxId()),
            w -> {
                mailboxWorld(); // created before any snapshot of a case is taken
                return body("pop3", false);
            }, "MAILBOX_NOT_FOUND");

    static final List<Bad> MAILBOX_ALIAS = List.of(
            invalid("empty", ""),
            invalid("65 characters", "a".repeat(65)),
            invalid("with a space", "two words"),
            invalid("with @", "box@example.com"),
            invalid("with a leading dot", ".box"),
            invalid("with two dots in a row", "bo..x"),
            invalid("with non-ASCII letters", "jörg"),
            wrongType("a number", 5),
            wrongType("a list", List.of("box")));

    static final List<Bad> SIZE_LIMIT = List.of(
            invalid("negative", -1024),
            invalid("zero", 0),
            invalid("1023 KB (under 1 MB)", 1023),
            invalid("1536 KB (no whole number of MB)", 1536),
            invalid("above the largest quota", 1_000_000_001L * 1024),
            wrongType("a numeric string", "1024"),
            wrongType("a fraction", 1024.5),
            wrongType("a boolean", true),
            wrongType("too large for 64 bits", new BigInteger("99999999999999999999")));

    static Stream<Arguments> mailboxEndpointsWithEveryBadShape() {
        return Stream.of(CREATE_MAILBOX, UPDATE_MAILBOX).flatMap(e -> SHAPES.stream().map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("mailboxEndpointsWithEveryBadShape")
    void shouldRejectAMailboxBodyOfTheWrongShapeOrMediaType(Endpoint endpoint, Shape shape) {
        shouldRejectABodyOfTheWrongShapeOrMediaType(endpoint, shape);
    }

    static Stream<FieldCase> invalidMailboxCreations() {
        return all(required("alias", "primary_email_address", "size_limit", "new_user.login"),
                // neither user_id nor new_user, or both
                required("new_user"),
                cases("user_id", List.of(invalid("together with new_user", 3))),
                cases("user_id", POSITIVE_ID),
                cases("new_user", NESTED_OBJECT),
                cases("new_user.login", LOGIN), cases("new_user.password", SECRET), cases("new_user.display_name", LABEL),
                cases("alias", MAILBOX_ALIAS), cases("primary_email_address", ADDRESS),
                cases("primary_email_address", List.of(invalid("on a domain the context cannot use", "x@" + unique("nowhere") + ".example.net"))),
                cases("alt_email_addresses", ADDRESS_LIST),
                cases("alt_email_addresses", List.of(invalid("with an address on another context's domain",
                        List.of("x@" + unique("nowhere") + ".example.net")))),
                cases("size_limit", SIZE_LIMIT),
                cases("owa", FLAG), cases("mapi", FLAG), cases("active_sync", FLAG), cases("imap4", FLAG), cases("pop3", FLAG),
                cases("skip_initialization", FLAG), cases("mark_migrated", FLAG),
                unknown("mailbox_id", "password", "new_user.subscription_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMailboxCreations")
    void shouldNotCreateMailboxFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_MAILBOX, c);
    }

    static Stream<FieldCase> invalidMailboxUpdates() {
        return all(cases("alias", MAILBOX_ALIAS), cases("primary_email_address", ADDRESS), cases("alt_email_addresses", ADDRESS_LIST),
                cases("alt_email_addresses", List.of(invalid("with an address on another context's domain",
                        List.of("x@" + unique("nowhere") + ".example.net")))),
                cases("size_limit", SIZE_LIMIT),
                cases("owa", FLAG), cases("mapi", FLAG), cases("active_sync", FLAG), cases("imap4", FLAG), cases("pop3", FLAG),
                cases("mark_migrated", FLAG),
                unknown("user_id", "new_user", "skip_initialization", "mailbox_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMailboxUpdates")
    void shouldNotUpdateMailboxFromInvalidFields(FieldCase c) {
        expectFieldRejected(UPDATE_MAILBOX, c);
    }

    static Stream<Arguments> invalidMailboxIdsInPaths() {
        return Stream.concat(Stream.of("abc", "-1", "0", "1.5", "1e3", "9999999999999999999").map(id -> Arguments.of(id, "INVALID_ID")),
                Stream.of(Arguments.of("999999999", "MAILBOX_NOT_FOUND")));
    }

    @ParameterizedTest(name = "PUT and DELETE /mailboxes/{0} → {1}")
    @MethodSource("invalidMailboxIdsInPaths")
    void shouldRejectInvalidOrUnknownMailboxIdsInThePath(String id, String code) {
        Object body = UPDATE_MAILBOX.validBody();
        expectRejected(UPDATE_MAILBOX, code, null, () -> UPDATE_MAILBOX.send(body, null, Map.of("id", id)));
        ContextRef context = mailboxWorld().context();
        expectRejected(code, null, () -> Fixtures.asQualified(context).delete(MAILBOXES + "/" + id, context.id()));
    }

    static Stream<Conflict> mailboxConflicts() {
        return Stream.of(
                conflict("a mailbox for a user id that is no user of the context", "USER_NOT_FOUND",
                        w -> CREATE_MAILBOX.send(with(set(newMailbox(mailboxWorld().context()), "new_user", MISSING), "user_id", 99_999))),
                conflict("a second mailbox for a user", "MAILBOX_EXISTS",
                        w -> CREATE_MAILBOX.send(with(set(newMailbox(mailboxWorld().context()), "new_user", MISSING),
                                "user_id", mailboxWorld().owner().id(), "primary_email_address", mailboxWorld().owner().email()))),
                conflict("a second mailbox for a user named by its login", "MAILBOX_EXISTS",
                        w -> CREATE_MAILBOX.send(with(newMailbox(mailboxWorld().context()), "new_user",
                                body("login", mailboxWorld().owner().name()), "primary_email_address", mailboxWorld().owner().email()))),
                conflict("a new user whose login is another context's user", "USER_EXISTS",
                        w -> CREATE_MAILBOX.send(with(newMailbox(mailboxWorld().context()), "new_user", body("login", w.alice().name())))),
                conflict("a mailbox alias another mailbox of the context has, in upper case", "MAILBOX_ALIAS_EXISTS",
                        w -> CREATE_MAILBOX.send(with(newMailbox(mailboxWorld().context()), "alias", mailboxWorld().alias().toUpperCase()))),
                conflict("a primary address that is another user's", "ADDRESS_EXISTS",
                        w -> CREATE_MAILBOX.send(with(newMailbox(mailboxWorld().context()),
                                "primary_email_address", mailboxWorld().withoutMailbox().email()))),
                conflict("an alternative address that is another user's", "ADDRESS_EXISTS",
                        w -> CREATE_MAILBOX.send(with(newMailbox(mailboxWorld().context()),
                                "alt_email_addresses", List.of(mailboxWorld().withoutMailbox().email())))),
                conflict("a new user beyond the context's maxUsers", "LIMIT_EXCEEDED",
                        w -> Fixtures.asQualified(w.limitedContext()).body(newMailbox(w.limitedContext()))
                                .post(MAILBOXES, w.limitedContext().id())),
                conflict("raising an existing user's quota beyond the context's maxQuotaMb", "LIMIT_EXCEEDED",
                        w -> Fixtures.asQualified(w.limitedContext()).body(body("user_id", w.limitedUser().id(), "alias", unique("box"),
                                "primary_email_address", w.limitedUser().email(), "size_limit", 101 * 1024)).post(MAILBOXES, w.limitedContext().id())),
                conflict("renaming a mailbox to another mailbox's alias", "MAILBOX_ALIAS_EXISTS",
                        w -> Fixtures.asQualified(mailboxWorld().context()).body(body("alias", mailboxWorld().alias()))
                                .put(MAILBOXES + "/{id}", mailboxWorld().context().id(), mailboxWorld().secondMailboxId())),
                conflict("a mailbox update with a stale If-Match", "PRECONDITION_FAILED",
                        w -> Fixtures.asQualified(mailboxWorld().context()).header("If-Match", "\"999\"").body(body("pop3", true))
                                .put(MAILBOXES + "/{id}", mailboxWorld().context().id(), mailboxWorld().mailboxId())),
                conflict("a mailbox deletion with a stale If-Match", "PRECONDITION_FAILED",
                        w -> Fixtures.asQualified(mailboxWorld().context()).header("If-Match", "\"999\"")
                                .delete(MAILBOXES + "/{id}", mailboxWorld().context().id(), mailboxWorld().mailboxId())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mailboxConflicts")
    void shouldRejectAConflictingMailboxRequestWithItsSpecificCode(Conflict c) {
        World w = world();
        mailboxWorld();
        expectRejected(c.code(), null, () -> c.request().apply(w));
    }

    // ---------------------------------------------------------------------------------------
    // Secondary accounts (issue 15): create/grant, update, revoke, list
    // ---------------------------------------------------------------------------------------

    static final String SECONDARY = CONTEXTS + "/{cid}/secondaryaccounts";
    private static String secondaryAddress;

    /** A secondary account of the world's context, held by alice: what the update cases change. */
    static String secondaryAddress() {
        if (secondaryAddress == null) {
            Map<String, Object> body = newSecondary(world());
            Fixtures.asQualified(world().context()).body(toJson(body)).post(SECONDARY, world().context().id()).then().statusCode(201);
            secondaryAddress = (String) body.get("primaryAddress");
        }
        return secondaryAddress;
    }

    static Map<String, Object> newSecondary(World w) {
        String address = unique("shared") + "@" + w.context().domain();
        return body("primaryAddress", address, "users", List.of(w.alice().id()), "login", address, "password", secret(),
                "name", "Shared", "mailEndpoint", body("source", "none", "server", "imap.example.com", "port", 143, "protocol", "imap"),
                "transportEndpoint", body("source", "none", "server", "smtp.example.com", "port", 25, "protocol", "smtp"));
    }

    static final Endpoint CREATE_SECONDARY = new Endpoint("POST /secondaryaccounts", "POST", SECONDARY,
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id()), BadInputTest::newSecondary, null);
    static final Endpoint UPDATE_SECONDARY = new Endpoint("PUT /secondaryaccounts/{addr}", "PUT", SECONDARY + "/{addr}",
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id(), "addr", secondaryAddress()),
            w -> body("name", "Renamed", "users", List.of(w.alice().id())), "SECONDARY_ACCOUNT_NOT_FOUND");

    static final List<Bad> SECONDARY_USERS = List.of(
            wrongType("a single number", 3),
            wrongType("a list with a numeric string", List.of("3")),
            wrongType("a list with a fraction", List.of(1.5)),
            invalid("a list with null", Arrays.asList((Object) null)),
            invalid("a list with zero", List.of(0)),
            invalid("a list with a negative id", List.of(-1)),
            new Bad("an id that is no user of the context", List.of(99_999), "USER_NOT_FOUND"),
            invalid("10001 ids", IntStream.rangeClosed(1, 10_001).boxed().toList()));

    static final List<Bad> SECONDARY_GROUPS = List.of(
            wrongType("a single number", 3),
            wrongType("a list with a numeric string", List.of("3")),
            invalid("a list with null", Arrays.asList((Object) null)),
            invalid("a list with a negative id", List.of(-1)),
            new Bad("an id that is no group of the context", List.of(99_999), "GROUP_NOT_FOUND"),
            invalid("10001 ids", IntStream.rangeClosed(1, 10_001).boxed().toList()));

    static final List<Bad> ENDPOINT_SOURCE = List.of(
            invalid("empty", ""),
            invalid("unknown", "remote"),
            invalid("upper case", "NONE"),
            wrongType("a number", 1));

    static Stream<FieldCase> invalidSecondaryCreations() {
        return all(required("primaryAddress", "mailEndpoint.source"),
                cases("primaryAddress", ADDRESS), cases("users", SECONDARY_USERS), cases("groups", SECONDARY_GROUPS),
                cases("login", MAIL_LOGIN), cases("password", MAIL_SECRET), cases("name", LABEL), cases("personal", LABEL),
                cases("replyTo", ADDRESS), cases("mailEndpoint", NESTED_OBJECT), cases("transportEndpoint", NESTED_OBJECT),
                cases("mailEndpoint.source", ENDPOINT_SOURCE), cases("mailEndpoint.server", HOST), cases("mailEndpoint.port", PORT),
                cases("mailEndpoint.protocol", List.of(invalid("smtp for reading", "smtp"), invalid("unknown", "jmap"))),
                cases("transportEndpoint.source", List.of(new Bad("primary: no primary SMTP server is known", "primary",
                        "PRIMARY_SERVER_NOT_CONFIGURED"))),
                cases("mailEndpoint.secure", FLAG),
                cases("transportEndpoint.port", PORT),
                cases("transportEndpoint.protocol", List.of(invalid("imap for sending", "imap"))),
                cases("folders", NESTED_OBJECT), cases("folders.sent", LABEL_BASICS),
                unknown("id", "mailEndpoint.host", "folders.inbox"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSecondaryCreations")
    void shouldNotCreateSecondaryAccountFromInvalidFields(FieldCase c) {
        expectFieldRejected(CREATE_SECONDARY, c);
    }

    @Test
    void shouldNotCreateSecondaryAccountWithoutUsersOrGroupsOrWithoutCredentialsForANewAddress() {
        world();
        Map<String, Object> noOne = newSecondary(world());
        noOne.remove("users");
        expectRejected(CREATE_SECONDARY, "VALIDATION_FAILED", "users", () -> CREATE_SECONDARY.send(noOne));
        for (String field : List.of("login", "password", "mailEndpoint")) {
            Map<String, Object> without = newSecondary(world());
            without.remove(field);
            expectRejected(CREATE_SECONDARY, "VALIDATION_FAILED", field, () -> CREATE_SECONDARY.send(without));
        }
        Map<String, Object> noServer = newSecondary(world());
        noServer.put("mailEndpoint", body("source", "none", "port", 143));
        expectRejected(CREATE_SECONDARY, "VALIDATION_FAILED", "mailEndpoint.server", () -> CREATE_SECONDARY.send(noServer));
    }

    static Stream<FieldCase> invalidSecondaryUpdates() {
        return all(cases("users", SECONDARY_USERS), cases("groups", SECONDARY_GROUPS), cases("login", MAIL_LOGIN),
                cases("password", MAIL_SECRET), cases("name", LABEL), cases("replyTo", ADDRESS),
                cases("mailEndpoint.source", ENDPOINT_SOURCE), cases("mailEndpoint.port", PORT), cases("transportEndpoint.server", HOST),
                unknown("primaryAddress", "id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSecondaryUpdates")
    void shouldNotUpdateSecondaryAccountFromInvalidFields(FieldCase c) {
        secondaryAddress();
        expectFieldRejected(UPDATE_SECONDARY, c);
    }

    static Stream<Arguments> secondaryEndpointsWithEveryBadShape() {
        return Stream.of(CREATE_SECONDARY, UPDATE_SECONDARY).flatMap(e -> SHAPES.stream().map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("secondaryEndpointsWithEveryBadShape")
    void shouldRejectASecondaryAccountBodyOfTheWrongShapeOrMediaType(Endpoint endpoint, Shape shape) {
        secondaryAddress();
        Object body = shape.body().apply(endpoint.validBody());
        expectRejected(endpoint, shape.code(), shape.field(), () -> endpoint.send(body, shape.contentType(), Map.of()));
    }

    static Stream<Arguments> badSecondaryRequests() {
        List<Arguments> cases = new ArrayList<>();
        Supplier<RequestSpecification> admin = () -> Fixtures.asQualified(world().context());
        Supplier<Long> cid = () -> world().context().id();
        for (String limit : List.of("0", "1001", "abc", "-1")) {
            cases.add(Arguments.of("GET ?limit=" + limit, "VALIDATION_FAILED", "limit",
                    (Supplier<Response>) () -> admin.get().queryParam("limit", limit).get(SECONDARY, cid.get())));
        }
        for (String uid : List.of("abc", "0", "-1", "1.5", "99999999999")) {
            cases.add(Arguments.of("GET ?userId=" + uid, "INVALID_ID", "userId",
                    (Supplier<Response>) () -> admin.get().queryParam("userId", uid).get(SECONDARY, cid.get())));
        }
        for (String users : List.of("abc", "3;4", "-1")) {
            cases.add(Arguments.of("DELETE ?users=" + users, "VALIDATION_FAILED", "users",
                    (Supplier<Response>) () -> admin.get().queryParam("users", users).delete(SECONDARY + "/{addr}", cid.get(), secondaryAddress())));
        }
        cases.add(Arguments.of("DELETE without users or groups", "VALIDATION_FAILED", "users",
                (Supplier<Response>) () -> admin.get().delete(SECONDARY + "/{addr}", cid.get(), secondaryAddress())));
        cases.add(Arguments.of("DELETE ?users=<alice>,99999", "USER_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().queryParam("users", world().alice().id() + ",99999")
                        .delete(SECONDARY + "/{addr}", cid.get(), secondaryAddress())));
        cases.add(Arguments.of("DELETE ?groups=99999", "GROUP_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().queryParam("groups", "99999").delete(SECONDARY + "/{addr}", cid.get(), secondaryAddress())));
        cases.add(Arguments.of("DELETE an address the context does not have", "SECONDARY_ACCOUNT_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().queryParam("groups", "0").delete(SECONDARY + "/{addr}", cid.get(), "nobody@example.org")));
        cases.add(Arguments.of("PUT an address the context does not have", "SECONDARY_ACCOUNT_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().body(toJson(body("name", "x"))).put(SECONDARY + "/{addr}", cid.get(), "nobody@example.org")));
        cases.add(Arguments.of("PUT nothing to change", "VALIDATION_FAILED", null,
                (Supplier<Response>) () -> admin.get().body("{}").put(SECONDARY + "/{addr}", cid.get(), secondaryAddress())));
        for (String ref : List.of("no-such-context", "0")) {
            cases.add(Arguments.of("GET in context " + ref, "CONTEXT_NOT_FOUND", null,
                    (Supplier<Response>) () -> admin.get().get(SECONDARY, ref)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("badSecondaryRequests")
    void shouldRejectABadSecondaryAccountRequest(String label, String code, String field, Supplier<Response> request) {
        secondaryAddress();
        expectRejected(code, field, request);
    }
    // ---------------------------------------------------------------------------------------
    // Shared accounts (issue 15, part 2): create, update, delegates (admin and self-service)
    // ---------------------------------------------------------------------------------------

    static final String SHARED_ACCOUNTS = CONTEXTS + "/{cid}/sharedaccounts";
    static final String MY_SHARED_ACCOUNTS = "/api/2.0/sharedaccounts";
    private static String sharedAddress;

    /** A shared account of the world's context, owned by alice, with bob as a read delegate: what the update cases change. */
    static String sharedAddress() {
        if (sharedAddress == null) {
            Map<String, Object> body = newShared(world());
            Fixtures.asQualified(world().context()).body(toJson(body)).post(SHARED_ACCOUNTS, world().context().id()).then().statusCode(201);
            sharedAddress = (String) body.get("address");
            Fixtures.asQualified(world().context()).body(toJson(body("permissions", List.of("read"))))
                    .put(SHARED_ACCOUNTS + "/{addr}/delegates/users/{uid}", world().context().id(), sharedAddress, world().bob().id())
                    .then().statusCode(201);
        }
        return sharedAddress;
    }

    static Map<String, Object> newShared(World w) {
        return body("address", unique("team") + "@" + w.context().domain(), "displayName", "Team", "type", "mailbox", "owner", w.alice().id());
    }

    static final Endpoint CREATE_SHARED = new Endpoint("POST /sharedaccounts", "POST", SHARED_ACCOUNTS,
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id()), BadInputTest::newShared, null);
    static final Endpoint UPDATE_SHARED = new Endpoint("PUT /sharedaccounts/{addr}", "PUT", SHARED_ACCOUNTS + "/{addr}",
            w -> Fixtures.asQualified(w.context()), w -> Map.of("cid", w.context().id(), "addr", sharedAddress()),
            w -> body("displayName", "Renamed"), "SHARED_ACCOUNT_NOT_FOUND");
    static final Endpoint SET_SHARED_DELEGATE = new Endpoint("PUT /sharedaccounts/{addr}/delegates/users/{uid}", "PUT",
            SHARED_ACCOUNTS + "/{addr}/delegates/users/{uid}", w -> Fixtures.asQualified(w.context()),
            w -> Map.of("cid", w.context().id(), "addr", sharedAddress(), "uid", w.bob().id()),
            w -> body("permissions", List.of("read", "send_as")), "SHARED_ACCOUNT_NOT_FOUND");
    static final Endpoint SET_MY_SHARED_DELEGATE = new Endpoint("PUT /api/2.0/sharedaccounts/{addr}/delegates/groups/{gid}", "PUT",
            MY_SHARED_ACCOUNTS + "/{addr}/delegates/groups/{gid}", w -> Fixtures.as(w.alice()),
            w -> Map.of("addr", sharedAddress(), "gid", sharedGroup()),
            w -> body("permissions", List.of("read"), "until", java.time.Instant.now().plusSeconds(3600).toString()), "SHARED_ACCOUNT_NOT_FOUND");

    private static Integer sharedGroup;

    /** A group of the world's context (holding bob), for the group delegation cases. */
    static int sharedGroup() {
        if (sharedGroup == null) {
            sharedGroup = Fixtures.asQualified(world().context()).body(toJson(body("name", unique("team"), "members", List.of(world().bob().id()))))
                    .post(CONTEXTS + "/{cid}/groups", world().context().id()).then().statusCode(201).extract().jsonPath().getInt("id");
        }
        return sharedGroup;
    }

    static final List<Bad> SHARED_TYPE = List.of(
            invalid("empty", ""),
            invalid("unknown", "shared"),
            invalid("upper case", "MAILBOX"),
            wrongType("a number", 1),
            wrongType("a list", List.of("mailbox")));

    static final List<Bad> PERMISSIONS = List.of(
            invalid("empty", List.of()),
            invalid("unknown", List.of("write")),
            invalid("upper case", List.of("READ")),
            invalid("five entries", List.of("read", "read", "read", "read", "read")),
            invalid("a list with null", Arrays.asList((Object) null)),
            wrongType("a single string", "read"),
            wrongType("a list with a number", List.of(1)));

    static final List<Bad> UNTIL = List.of(
            invalid("in the past", "2001-01-01T00:00:00Z"),
            wrongType("not an instant", "tomorrow"),
            wrongType("a date without time", "2099-01-01"),
            wrongType("a boolean", true));

    static Stream<FieldCase> invalidSharedCreations() {
        return all(required("address", "type", "owner"),
                cases("address", ADDRESS),
                cases("address", List.of(invalid("on a domain the context cannot use", "x@" + unique("nowhere") + ".example.net"))),
                cases("displayName", LABEL), cases("type", SHARED_TYPE), cases("owner", POSITIVE_ID),
                cases("owner", List.of(new Bad("no user of the context", 99_999, "USER_NOT_FOUND"))),
                // the valid body's type is mailbox, which has no password
                cases("password", plus(SECRET, invalid("for type mailbox", secret()))),
                unknown("id", "userId", "delegates", "mfa"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSharedCreations")
    void shouldNotCreateSharedAccountFromInvalidFields(FieldCase c) {
        world();
        expectFieldRejected(CREATE_SHARED, c);
    }

    static Stream<FieldCase> invalidSharedUpdates() {
        return all(cases("displayName", LABEL), cases("owner", POSITIVE_ID), cases("password", SECRET),
                cases("owner", List.of(new Bad("no user of the context", 99_999, "USER_NOT_FOUND"))),
                unknown("address", "type", "userId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSharedUpdates")
    void shouldNotUpdateSharedAccountFromInvalidFields(FieldCase c) {
        sharedAddress();
        expectFieldRejected(UPDATE_SHARED, c);
    }

    static Stream<FieldCase> invalidDelegations() {
        return all(required("permissions"), cases("permissions", PERMISSIONS), cases("until", UNTIL), unknown("kind", "id"));
    }

    static Stream<Arguments> invalidDelegationsOnBothApis() {
        return Stream.of(SET_SHARED_DELEGATE, SET_MY_SHARED_DELEGATE).flatMap(e -> invalidDelegations().map(c -> Arguments.of(e, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidDelegationsOnBothApis")
    void shouldNotSetADelegationFromInvalidFields(Endpoint endpoint, FieldCase c) {
        sharedAddress();
        sharedGroup();
        expectFieldRejected(endpoint, c);
    }

    static Stream<Arguments> sharedEndpointsWithEveryBadShape() {
        return Stream.of(CREATE_SHARED, UPDATE_SHARED, SET_SHARED_DELEGATE, SET_MY_SHARED_DELEGATE)
                .flatMap(e -> SHAPES.stream().map(s -> Arguments.of(e, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sharedEndpointsWithEveryBadShape")
    void shouldRejectASharedAccountBodyOfTheWrongShapeOrMediaType(Endpoint endpoint, Shape shape) {
        sharedAddress();
        sharedGroup();
        Object body = shape.body().apply(endpoint.validBody());
        expectRejected(endpoint, shape.code(), shape.field(), () -> endpoint.send(body, shape.contentType(), Map.of()));
    }

    static Stream<Arguments> badSharedRequests() {
        List<Arguments> cases = new ArrayList<>();
        Supplier<RequestSpecification> admin = () -> Fixtures.asQualified(world().context());
        Supplier<Long> cid = () -> world().context().id();
        String one = SHARED_ACCOUNTS + "/{addr}";
        String users = one + "/delegates/users/{id}";
        String groups = one + "/delegates/groups/{id}";
        String mine = MY_SHARED_ACCOUNTS + "/{addr}/delegates/users/{id}";
        Object read = toJson(body("permissions", List.of("read")));
        for (String limit : List.of("0", "1001", "abc", "-1")) {
            cases.add(Arguments.of("GET ?limit=" + limit, "VALIDATION_FAILED", "limit",
                    (Supplier<Response>) () -> admin.get().queryParam("limit", limit).get(SHARED_ACCOUNTS, cid.get())));
        }
        for (String id : List.of("abc", "0", "-1", "1.5", "99999999999")) {
            cases.add(Arguments.of("PUT delegates/users/" + id, "INVALID_ID", "userId",
                    (Supplier<Response>) () -> admin.get().body(read).put(users, cid.get(), sharedAddress(), id)));
            cases.add(Arguments.of("DELETE delegates/groups/" + id, "INVALID_ID", "groupId",
                    (Supplier<Response>) () -> admin.get().delete(groups, cid.get(), sharedAddress(), id)));
            cases.add(Arguments.of("self-service DELETE delegates/users/" + id, "INVALID_ID", "userId",
                    (Supplier<Response>) () -> Fixtures.as(world().alice()).delete(mine, sharedAddress(), id)));
        }
        cases.add(Arguments.of("PUT delegates/users/<no such user>", "USER_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().body(read).put(users, cid.get(), sharedAddress(), 99_999)));
        cases.add(Arguments.of("PUT delegates/groups/<no such group>", "GROUP_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().body(read).put(groups, cid.get(), sharedAddress(), 99_999)));
        cases.add(Arguments.of("DELETE delegates/users/<a user without delegation>", "DELEGATE_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().delete(users, cid.get(), sharedAddress(), world().alice().id())));
        cases.add(Arguments.of("PUT an address the context does not have", "SHARED_ACCOUNT_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().body(toJson(body("displayName", "x"))).put(one, cid.get(), "nobody@example.org")));
        cases.add(Arguments.of("DELETE a malformed address", "SHARED_ACCOUNT_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().delete(one, cid.get(), "not an address")));
        cases.add(Arguments.of("PUT delegate on an address the context does not have", "SHARED_ACCOUNT_NOT_FOUND", null,
                (Supplier<Response>) () -> admin.get().body(read).put(users, cid.get(), "nobody@example.org", world().bob().id())));
        cases.add(Arguments.of("PUT nothing to change", "VALIDATION_FAILED", null,
                (Supplier<Response>) () -> admin.get().body("{}").put(one, cid.get(), sharedAddress())));
        cases.add(Arguments.of("PUT a stale If-Match", "PRECONDITION_FAILED", null,
                (Supplier<Response>) () -> admin.get().header("If-Match", "\"999\"").body(toJson(body("displayName", "x"))).put(one, cid.get(), sharedAddress())));
        cases.add(Arguments.of("POST an address that is a user's login", "USER_EXISTS", null,
                (Supplier<Response>) () -> admin.get().body(toJson(with(newShared(world()), "address", world().bob().email()))).post(SHARED_ACCOUNTS, cid.get())));
        cases.add(Arguments.of("POST a shared account as owner", "VALIDATION_FAILED", "owner",
                (Supplier<Response>) () -> admin.get().body(toJson(with(newShared(world()), "owner", sharedUserId()))).post(SHARED_ACCOUNTS, cid.get())));
        cases.add(Arguments.of("self-service: a user of another context", "SHARED_ACCOUNT_NOT_FOUND", null,
                (Supplier<Response>) () -> Fixtures.as(world().member()).body(read).put(mine, sharedAddress(), world().bob().id())));
        cases.add(Arguments.of("self-service: the owner, delegating to a shared account", "VALIDATION_FAILED", "userId",
                (Supplier<Response>) () -> Fixtures.as(world().alice()).body(read).put(mine, sharedAddress(), sharedUserId())));
        return cases.stream();
    }

    /** The user id of the world's shared account. */
    static int sharedUserId() {
        return Fixtures.asQualified(world().context()).get(SHARED_ACCOUNTS + "/{addr}", world().context().id(), sharedAddress())
                .then().statusCode(200).extract().jsonPath().getInt("userId");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("badSharedRequests")
    void shouldRejectABadSharedAccountRequest(String label, String code, String field, Supplier<Response> request) {
        sharedAddress();
        expectRejected(code, field, request);
    }
}
