package io.mailplane.secondary;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** OX's secondary account CLTs as REST: grant, update, revoke and list, for users, groups and group 0. */
@QuarkusTest
class SecondaryAccountsTest {
    private static final String SECONDARY = "/oxaas/v1/admin/contexts/{cid}/secondaryaccounts";
    private static final String GROUPS = "/oxaas/v1/admin/contexts/{cid}/groups";

    /** The body of the issue's wire format, for these users and groups. */
    static Map<String, Object> account(String address, String password, List<Integer> users, List<Integer> groups) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("primaryAddress", address);
        if (users != null) {
            body.put("users", users);
        }
        if (groups != null) {
            body.put("groups", groups);
        }
        body.put("login", address);
        body.put("password", password);
        body.put("name", "Support");
        body.put("personal", "Support");
        body.put("replyTo", address);
        body.put("mailEndpoint", Map.of("source", "none", "server", "imap.example.com", "port", 143, "protocol", "imap",
                "secure", false, "starttls", false));
        body.put("transportEndpoint", Map.of("source", "none", "server", "smtp.example.com", "port", 25, "protocol", "smtp",
                "secure", false, "starttls", false));
        body.put("folders", Map.of("drafts", "Drafts", "sent", "Sent", "spam", "Spam", "trash", "Trash", "archive", "Archive"));
        return body;
    }

    private static int group(ContextRef context, UserRef... members) {
        return Fixtures.as(context).body(Map.of("name", Fixtures.unique("team"), "members",
                        java.util.Arrays.stream(members).map(UserRef::id).toList()))
                .post(GROUPS, context.id()).then().statusCode(201).extract().jsonPath().getInt("id");
    }

    private static List<Map<String, Object>> list(ContextRef context, String query) {
        return Fixtures.as(context).get(SECONDARY + query, context.id()).then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<Integer> holders(ContextRef context, String address) {
        return list(context, "?limit=1000&primaryAddress=" + address).stream().map(e -> (Integer) e.get("userId")).toList();
    }

    private static String address(ContextRef context) {
        return Fixtures.unique("support") + "@" + context.domain();
    }

    @Test
    void grantingToAUserAndAGroupGivesEachOfThemAnEntryListedAsJsonAndAsCsvWithoutThePassword() throws IOException {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        UserRef carol = Fixtures.user(context);
        int team = group(context, bob, carol);
        String address = address(context);
        String password = Fixtures.secret();

        Response created = Fixtures.as(context).body(account(address, password, List.of(alice.id()), List.of(team)))
                .post(SECONDARY, context.id());
        created.then().statusCode(201).body("granted", equalTo(3)).body("updated", equalTo(0));

        List<Map<String, Object>> entries = list(context, "?primaryAddress=" + address);
        assertEquals(List.of(alice.id(), bob.id(), carol.id()), entries.stream().map(e -> e.get("userId")).toList());
        Map<String, Object> first = entries.get(0);
        assertEquals("imap://imap.example.com:143", first.get("mailServerUri"));
        assertEquals("smtp://smtp.example.com:25", first.get("transportServerUri"));
        assertEquals(address, first.get("login"));
        assertEquals(address, first.get("transportLogin"));
        assertEquals("Support", first.get("name"));

        Response csv = Fixtures.as(context).accept("text/csv").get(SECONDARY + "?primaryAddress=" + address, context.id());
        csv.then().statusCode(200);
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.asString()))) {
            assertEquals(List.of("context-id", "user-id", "account-id", "primary-address", "name", "login",
                    "mail-server-URI", "transport-login", "transport-server-URI"), parser.getHeaderNames());
            List<CSVRecord> records = parser.getRecords();
            assertEquals(List.of(String.valueOf(alice.id()), String.valueOf(bob.id()), String.valueOf(carol.id())),
                    records.stream().map(r -> r.get("user-id")).toList());
            for (CSVRecord r : records) {
                assertEquals(String.valueOf(context.id()), r.get("context-id"));
                assertEquals(address, r.get("primary-address"));
                assertEquals("imap://imap.example.com:143", r.get("mail-server-URI"));
                assertEquals("smtp://smtp.example.com:25", r.get("transport-server-URI"));
                assertEquals(first.get("accountId").toString(), r.get("account-id"));
            }
        }

        String preferred = Fixtures.as(context).accept("application/json;q=0.5, text/csv").get(SECONDARY, context.id()).contentType();
        assertTrue(preferred.startsWith("text/csv"), preferred);
        String anything = Fixtures.as(context).accept("*/*").get(SECONDARY, context.id()).contentType();
        assertTrue(anything.startsWith("application/json"), anything);

        String everything = created.asString() + list(context, "") + csv.asString();
        assertFalse(everything.contains(password), "a response shows the password");
        assertFalse(everything.contains("secret"), "a response shows the stored secret");
        assertEquals(0, Db.count("SELECT COUNT(*) FROM secondary_accounts WHERE context_id = ? AND (secret LIKE ? OR login LIKE ?)",
                context.id(), "%" + password + "%", "%" + password + "%"));
        assertEquals(3, Db.count("SELECT COUNT(*) FROM secondary_accounts WHERE context_id = ? AND secret LIKE 'v1.%'", context.id()));
        Path log = Path.of("target/test-service.log");
        if (Files.exists(log)) {
            assertFalse(Files.readString(log).contains(password), "the log shows the password");
        }
        assertEquals(1, Db.count("SELECT COUNT(*) FROM audit_log WHERE context_id = ? AND action = 'secondary.grant'", context.id()));
    }

    @Test
    void groupZeroGrantsTheAccountToEveryUserOfTheContextAndRevokesItFromEverybody() {
        ContextRef context = Fixtures.context();
        List<Integer> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            users.add(Fixtures.user(context).id());
        }
        ContextRef elsewhere = Fixtures.context();
        Fixtures.user(elsewhere);
        String address = address(context);
        Fixtures.as(context).body(account(address, Fixtures.secret(), null, List.of(0))).post(SECONDARY, context.id())
                .then().statusCode(201).body("granted", equalTo(4));
        assertEquals(users, holders(context, address));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM secondary_accounts WHERE context_id = ?", elsewhere.id()),
                "a user of another context got the account");

        Fixtures.as(context).delete(SECONDARY + "/{addr}?groups=0", context.id(), address).then().statusCode(204);
        assertEquals(List.of(), holders(context, address));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM audit_log WHERE context_id = ? AND action = 'secondary.revoke'", context.id()));
    }

    @Test
    void groupsAreResolvedWhenGrantedSoAUserWhoJoinsLaterDoesNotGetTheAccount() {
        ContextRef context = Fixtures.context();
        UserRef bob = Fixtures.user(context);
        UserRef dave = Fixtures.user(context);
        int team = group(context, bob);
        String address = address(context);
        Fixtures.as(context).body(account(address, Fixtures.secret(), null, List.of(team))).post(SECONDARY, context.id())
                .then().statusCode(201);
        Fixtures.as(context).body(Map.of("members", List.of(bob.id(), dave.id()))).put(GROUPS + "/{gid}", context.id(), team)
                .then().statusCode(200);
        assertEquals(List.of(bob.id()), holders(context, address));
        assertEquals(List.of(), list(context, "?userId=" + dave.id()));
    }

    @Test
    void grantingToAUserWhoHasTheAccountUpdatesThatUsersEntryAndAnAddressAloneCopiesTheAccount() {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        UserRef carol = Fixtures.user(context);
        String address = address(context);
        Fixtures.as(context).body(account(address, Fixtures.secret(), List.of(alice.id(), bob.id()), null)).post(SECONDARY, context.id())
                .then().statusCode(201).body("granted", equalTo(2));

        Map<String, Object> rename = new HashMap<>(Map.of("primaryAddress", address, "users", List.of(bob.id()), "name", "Help desk"));
        Fixtures.as(context).body(rename).post(SECONDARY, context.id())
                .then().statusCode(200).body("granted", equalTo(0)).body("updated", equalTo(1));
        // like OX's "createsecondaryaccount -c 1 --users 5 -e support@...": only the address
        Fixtures.as(context).body(Map.of("primaryAddress", address, "users", List.of(carol.id()))).post(SECONDARY, context.id())
                .then().statusCode(201).body("granted", equalTo(1));

        Map<Object, Object> names = new HashMap<>();
        list(context, "?primaryAddress=" + address).forEach(e -> names.put(e.get("userId"), e.get("name")));
        assertEquals(Map.of(alice.id(), "Support", bob.id(), "Help desk", carol.id(), "Support"), names);
        List<Map<String, Object>> carols = list(context, "?userId=" + carol.id());
        assertEquals("imap://imap.example.com:143", carols.get(0).get("mailServerUri"));
        assertEquals(1, Db.count("SELECT COUNT(DISTINCT secret) FROM secondary_accounts WHERE context_id = ? AND user_id IN (?, ?)",
                context.id(), alice.id(), carol.id()));
    }

    @Test
    void anUpdateChangesPropertiesOfHoldersButNeverAddsOrRemovesAUser() {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        UserRef carol = Fixtures.user(context);
        String address = address(context);
        Fixtures.as(context).body(account(address, Fixtures.secret(), List.of(alice.id(), bob.id()), null)).post(SECONDARY, context.id())
                .then().statusCode(201);

        Fixtures.as(context).body(Map.of("users", List.of(carol.id()), "name", "Not for Carol")).put(SECONDARY + "/{addr}", context.id(), address)
                .then().statusCode(200).body("updated", equalTo(0));
        Fixtures.as(context).body(Map.of("name", "Team inbox", "transportEndpoint",
                        Map.of("source", "localhost", "protocol", "smtp", "port", 587, "starttls", true)))
                .put(SECONDARY + "/{addr}", context.id(), address)
                .then().statusCode(200).body("updated", equalTo(2));

        List<Map<String, Object>> entries = list(context, "?primaryAddress=" + address);
        assertEquals(List.of(alice.id(), bob.id()), entries.stream().map(e -> e.get("userId")).toList());
        entries.forEach(e -> {
            assertEquals("Team inbox", e.get("name"));
            assertEquals("smtp://localhost:587", e.get("transportServerUri"));
        });
        String before = Db.string("SELECT secret FROM secondary_accounts WHERE context_id = ? AND user_id = ?", context.id(), alice.id());
        String newPassword = Fixtures.secret();
        Response changed = Fixtures.as(context).body(Map.of("password", newPassword)).put(SECONDARY + "/{addr}", context.id(), address);
        changed.then().statusCode(200).body("updated", equalTo(2));
        assertFalse(changed.asString().contains(newPassword));
        String after = Db.string("SELECT secret FROM secondary_accounts WHERE context_id = ? AND user_id = ?", context.id(), alice.id());
        assertTrue(after.startsWith("v1.") && !after.equals(before) && !after.contains(newPassword), "the new password is sealed");
        Fixtures.as(context).body(Map.of("name", "x")).put(SECONDARY + "/{addr}", context.id(), "nobody@" + context.domain())
                .then().statusCode(404).body("code", equalTo("SECONDARY_ACCOUNT_NOT_FOUND"));
        assertEquals(3, Db.count("SELECT COUNT(*) FROM audit_log WHERE context_id = ? AND action = 'secondary.update'", context.id()));
    }

    @Test
    void revokingForAGroupRemovesTheAccountFromItsMembersOnly() {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        UserRef bob = Fixtures.user(context);
        UserRef carol = Fixtures.user(context);
        int team = group(context, bob, carol);
        String address = address(context);
        Fixtures.as(context).body(account(address, Fixtures.secret(), null, List.of(0))).post(SECONDARY, context.id()).then().statusCode(201);

        Fixtures.as(context).delete(SECONDARY + "/{addr}?groups=" + team, context.id(), address).then().statusCode(204);
        assertEquals(List.of(alice.id()), holders(context, address));
        Fixtures.as(context).delete(SECONDARY + "/{addr}?users=" + alice.id(), context.id(), address).then().statusCode(204);
        assertEquals(List.of(), holders(context, address));
    }

    @Test
    void oneUnknownUserOrGroupIdOrOneOfAnotherContextChangesNothing() {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        ContextRef other = Fixtures.context();
        UserRef outsider = Fixtures.user(other);
        int foreignGroup = group(other, outsider);
        String address = address(context);

        Fixtures.as(context).body(account(address, Fixtures.secret(), List.of(alice.id(), 999_999), null)).post(SECONDARY, context.id())
                .then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        Fixtures.as(context).body(account(address, Fixtures.secret(), List.of(alice.id()), List.of(foreignGroup + 1000))).post(SECONDARY, context.id())
                .then().statusCode(404).body("code", equalTo("GROUP_NOT_FOUND"));
        if (outsider.id() != alice.id()) {
            Fixtures.as(context).body(account(address, Fixtures.secret(), List.of(alice.id(), outsider.id()), null)).post(SECONDARY, context.id())
                    .then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        }
        assertEquals(0, Db.count("SELECT COUNT(*) FROM secondary_accounts WHERE context_id IN (?, ?)", context.id(), other.id()));

        Fixtures.as(context).body(account(address, Fixtures.secret(), List.of(alice.id()), null)).post(SECONDARY, context.id())
                .then().statusCode(201);
        Fixtures.as(context).delete(SECONDARY + "/{addr}?users=" + alice.id() + ",999999", context.id(), address)
                .then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        Fixtures.as(context).body(Map.of("users", List.of(999_999), "name", "x")).put(SECONDARY + "/{addr}", context.id(), address)
                .then().statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        assertEquals(List.of(alice.id()), holders(context, address));
        assertEquals("Support", list(context, "?primaryAddress=" + address).get(0).get("name"));
    }

    @Test
    void aPrimaryImapEndpointIsTheConfiguredMailServerPrimarySmtpIsRefusedAndLocalhostIsTheLocalHost() {
        ContextRef context = Fixtures.context();
        UserRef alice = Fixtures.user(context);
        String address = address(context);
        Map<String, Object> body = account(address, Fixtures.secret(), List.of(alice.id()), null);
        body.put("transportEndpoint", Map.of("source", "primary"));
        Fixtures.as(context).body(body).post(SECONDARY, context.id())
                .then().statusCode(400).body("code", equalTo("PRIMARY_SERVER_NOT_CONFIGURED"))
                .body("errors[0].field", equalTo("transportEndpoint.source"));
        assertEquals(List.of(), holders(context, address), "nothing granted");

        body.put("mailEndpoint", Map.of("source", "primary"));
        body.remove("transportEndpoint");
        Fixtures.as(context).body(body).post(SECONDARY, context.id()).then().statusCode(201);
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        assertEquals("imap://" + config.getValue("mailplane.imap.host", String.class) + ":"
                + config.getValue("mailplane.imap.port", Integer.class), list(context, "?primaryAddress=" + address).get(0).get("mailServerUri"));

        String other = address(context);
        body = account(other, Fixtures.secret(), List.of(alice.id()), null);
        body.put("mailEndpoint", Map.of("source", "localhost", "protocol", "imap", "secure", true));
        body.remove("transportEndpoint");
        Fixtures.as(context).body(body).post(SECONDARY, context.id()).then().statusCode(201);
        Map<String, Object> entry = list(context, "?primaryAddress=" + other).get(0);
        assertEquals("imaps://localhost:993", entry.get("mailServerUri"));
        assertEquals(null, entry.get("transportServerUri"), "no transport: receive-only");
        assertEquals(null, entry.get("transportLogin"));
    }
}
