package io.mailplane.mailboxes;

import static io.mailplane.testing.Fixtures.as;
import static io.mailplane.testing.Fixtures.asMaster;
import static io.mailplane.testing.Fixtures.secret;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Race;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exchange-style mailboxes (SPEC §11): for an existing or a new user, reconciled with the user model. */
@QuarkusTest
class MailboxesTest {
    private static final String MAILBOXES = "/oxaas/v1/admin/contexts/{cid}/mailboxes";
    private static final String MAILBOX = MAILBOXES + "/{mid}";
    private static final String USERS = "/oxaas/v1/admin/contexts/{cid}/users";
    private static final long MB = 1024;

    // ---- creating ---------------------------------------------------------------------------------

    @Test
    void shouldCreateAMailboxForAnExistingUserWhoseAddressesAndQuotaBecomeTheMailboxes() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String alternative = unique("alt.") + "@" + context.domain();
        Response created = as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email(),
                        "alt_email_addresses", List.of(alternative), "size_limit", 2048 * MB, "pop3", false, "owa", false))
                .post(MAILBOXES, context.id());
        created.then().statusCode(201)
                .header("Location", notNullValue())
                .header("ETag", notNullValue())
                .body("mailbox_id", notNullValue())
                .body("$", not(hasKey("password")));
        long id = created.jsonPath().getLong("mailbox_id");

        as(context).get(MAILBOX, context.id(), id).then().statusCode(200)
                .body("mailbox_id", equalTo((int) id))
                .body("user_id", equalTo(user.id()))
                .body("login", equalTo(user.name()))
                .body("primary_email_address", equalTo(user.email()))
                .body("alt_email_addresses", contains(alternative))
                .body("size_limit", equalTo((int) (2048 * MB)))
                .body("imap4", equalTo(true)).body("pop3", equalTo(false))
                .body("owa", equalTo(false)).body("mapi", equalTo(true)).body("active_sync", equalTo(true))
                .body("skip_initialization", equalTo(false)).body("mark_migrated", equalTo(false));
        // The same facts, seen as the user
        as(context).get(USERS + "/{uid}", context.id(), user.id()).then().statusCode(200)
                .body("aliases", contains(alternative))
                .body("quotaMb", equalTo(2048));
    }

    @Test
    void shouldCreateANewUserWithAGeneratedPasswordThatWorksAndIsShownOnlyOnce() throws java.io.IOException {
        ContextRef context = Fixtures.context();
        String login = unique("new") + "@" + context.domain();
        Response created = as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login))
                .post(MAILBOXES, context.id());
        created.then().statusCode(201)
                .body("password", matchesPattern("[A-Za-z0-9]{20}"));
        long id = created.jsonPath().getLong("mailbox_id");
        String password = created.jsonPath().getString("password");

        // The user signs in with it (HTTP Basic on an end-user endpoint)
        as(login, password).get("/api/2.0/mail/accounts").then().statusCode(200);
        // ... and it is never shown again
        String one = as(context).get(MAILBOX, context.id(), id).then().statusCode(200)
                .body("login", equalTo(login))
                .body("display_name", equalTo(login))
                .body("$", not(hasKey("password")))
                .extract().asString();
        String all = as(context).get(MAILBOXES, context.id()).then().statusCode(200).extract().asString();
        String user = as(context).get(USERS, context.id()).then().statusCode(200).extract().asString();
        for (String answer : List.of(one, all, user)) {
            assertFalse(answer.contains(password), "a later answer shows the generated password: " + answer);
        }
        String log = java.nio.file.Files.readString(java.nio.file.Path.of("target", "test-service.log"));
        assertFalse(log.contains(password), "the generated password is in the service log");
    }

    @Test
    void shouldCreateANewUserWithTheGivenPasswordAndDisplayNameAndAnswerNoPassword() {
        ContextRef context = Fixtures.context();
        String login = unique("new") + "@" + context.domain();
        String password = secret();
        long id = as(context).body(mailbox("new_user", Map.of("login", login, "password", password, "display_name", "Nina New"),
                        "primary_email_address", login, "mark_migrated", true, "skip_initialization", true))
                .post(MAILBOXES, context.id())
                .then().statusCode(201).body("$", not(hasKey("password")))
                .extract().jsonPath().getLong("mailbox_id");
        as(login, password).get("/api/2.0/mail/accounts").then().statusCode(200);
        as(context).get(MAILBOX, context.id(), id).then().statusCode(200)
                .body("display_name", equalTo("Nina New"))
                .body("mark_migrated", equalTo(true))
                .body("skip_initialization", equalTo(true));
    }

    @Test
    void shouldGiveTheMailboxToTheExistingUserWhenNewUserNamesALoginOfTheContext() {
        ContextRef context = Fixtures.context();
        UserRef existing = Fixtures.user(context);
        long id = as(context).body(mailbox("new_user", Map.of("login", existing.name(), "password", secret(), "display_name", "Other"),
                        "primary_email_address", existing.email()))
                .post(MAILBOXES, context.id())
                .then().statusCode(201).body("$", not(hasKey("password")))
                .extract().jsonPath().getLong("mailbox_id");
        as(context).get(MAILBOX, context.id(), id).then().statusCode(200)
                .body("user_id", equalTo(existing.id()))
                .body("display_name", equalTo("User " + existing.name().substring(0, existing.name().indexOf('@'))));
        // No second user, and the user's own password still works (the one in the request did not replace it)
        as(context).get(USERS, context.id()).then().statusCode(200).body("size()", equalTo(1));
        as(existing).get("/api/2.0/mail/accounts").then().statusCode(200);
    }

    @Test
    void shouldRefuseANewUserWhoseLoginBelongsToAnotherContext() {
        ContextRef context = Fixtures.context();
        UserRef elsewhere = Fixtures.user(Fixtures.context());
        String address = unique("x") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", elsewhere.name()), "primary_email_address", address))
                .post(MAILBOXES, context.id()), 409, "USER_EXISTS");
    }

    @Test
    void shouldRefuseBothOrNeitherOfUserIdAndNewUser() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String login = unique("new") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("user_id", user.id(), "new_user", Map.of("login", login), "primary_email_address", login))
                .post(MAILBOXES, context.id()), 400, "VALIDATION_FAILED")
                .then().body("errors.field", hasItems("user_id", "new_user"));
        refused(() -> as(context).body(mailbox("primary_email_address", login)).post(MAILBOXES, context.id()), 400, "VALIDATION_FAILED")
                .then().body("errors.field", hasItems("user_id", "new_user"));
    }

    @Test
    void shouldRefuseAnExistingUserOfAnotherContextOrNoUserAtAll() {
        ContextRef context = Fixtures.context();
        UserRef elsewhere = Fixtures.user(Fixtures.context(context.reseller()));
        refused(() -> as(context).body(mailbox("user_id", 999, "primary_email_address", unique("x") + "@" + context.domain()))
                .post(MAILBOXES, context.id()), 404, "USER_NOT_FOUND");
        // user ids are per context: another context's user with the same id is not this one
        refused(() -> as(context).body(mailbox("user_id", elsewhere.id(), "primary_email_address", elsewhere.email()))
                .post(MAILBOXES, context.id()), 404, "USER_NOT_FOUND");
    }

    // ---- addresses ---------------------------------------------------------------------------------

    @Test
    void shouldRefuseAlternativeAddressesOnDomainsTheContextCannotUse() {
        ContextRef context = Fixtures.context();
        ContextRef neighbour = Fixtures.context(context.reseller());
        String login = unique("new") + "@" + context.domain();
        for (String foreign : List.of(unique("a") + "@" + neighbour.domain(), unique("a") + "@" + unique("nowhere") + ".example.net")) {
            refused(() -> as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login,
                            "alt_email_addresses", List.of(unique("ok") + "@" + context.domain(), foreign)))
                    .post(MAILBOXES, context.id()), 400, "VALIDATION_FAILED")
                    .then().body("errors.field", hasItem(startsWith("alt_email_addresses")));
        }
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", login),
                        "primary_email_address", unique("p") + "@" + neighbour.domain()))
                .post(MAILBOXES, context.id()), 400, "VALIDATION_FAILED")
                .then().body("errors.field", hasItem("primary_email_address"));
    }

    @Test
    void shouldAcceptAlternativeAddressesOnASharedDomainOfTheBrand() {
        ContextRef context = Fixtures.context();
        String shared = unique("shared") + ".example.org";
        as(context.reseller()).post("/oxaas/v1/admin/sharedmaildomains/" + shared).then().statusCode(200);
        String login = unique("new") + "@" + context.domain();
        String onShared = unique("s") + "@" + shared;
        long id = as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login,
                        "alt_email_addresses", List.of(onShared)))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        as(context).get(MAILBOX, context.id(), id).then().body("alt_email_addresses", contains(onShared));
    }

    @Test
    void shouldRefuseAnAddressThatAnotherUserOwns() {
        ContextRef context = Fixtures.context();
        UserRef owner = Fixtures.user(context);
        String login = unique("new") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login,
                        "alt_email_addresses", List.of(owner.email().toUpperCase())))
                .post(MAILBOXES, context.id()), 409, "ADDRESS_EXISTS");
    }

    @Test
    void shouldMoveTheExistingUsersPrimaryAddressToTheMailboxesAndFreeTheOldOne() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String primary = unique("from.") + "@" + context.domain();
        as(context).body(mailbox("user_id", user.id(), "primary_email_address", primary)).post(MAILBOXES, context.id())
                .then().statusCode(201);
        as(context).get(USERS + "/{uid}", context.id(), user.id()).then().body("primaryEmail", equalTo(primary));
        // the old address is free: another user can have it
        as(context).body(Map.of("name", unique("u") + "@" + context.domain(), "password", secret(), "displayName", "Next",
                "primaryEmail", user.email())).post(USERS, context.id()).then().statusCode(201);
    }

    // ---- one per user, aliases, sizes --------------------------------------------------------------

    @Test
    void shouldRefuseASecondMailboxForTheSameUser() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email())).post(MAILBOXES, context.id())
                .then().statusCode(201);
        refused(() -> as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email()))
                .post(MAILBOXES, context.id()), 409, "MAILBOX_EXISTS");
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", user.name()), "primary_email_address", user.email()))
                .post(MAILBOXES, context.id()), 409, "MAILBOX_EXISTS");
    }

    @Test
    void shouldGiveOneOfTwoConcurrentCreationsForOneUserTheMailboxAndRefuseTheOther() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        List<Response> answers = Race.of(2, i -> as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email()))
                .post(MAILBOXES, context.id()));
        assertEquals(List.of(201, 409), Race.statuses(answers).stream().sorted().toList());
        as(context).get(MAILBOXES, context.id()).then().body("size()", equalTo(1));
    }

    @Test
    void shouldCreateOneUserAndOneMailboxWhenTwoRequestsNameTheSameNewLoginAtOnce() throws Exception {
        ContextRef context = Fixtures.context();
        String login = unique("twice") + "@" + context.domain();
        List<Response> answers = Race.of(2, i -> as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login))
                .post(MAILBOXES, context.id()));
        assertEquals(List.of(201, 409), Race.statuses(answers).stream().sorted().toList());
        Response refused = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        assertEquals("MAILBOX_EXISTS", refused.jsonPath().getString("code"));
        // only the request that created the user shows a password, and it works
        Response created = answers.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
        as(login, created.jsonPath().getString("password")).get("/api/2.0/mail/accounts").then().statusCode(200);
        as(context).get(USERS, context.id()).then().body("size()", equalTo(1));
    }

    @Test
    void shouldAnswerTheCreatedMailboxesETagAsItsFirstRead() {
        ContextRef context = Fixtures.context();
        String login = unique("new") + "@" + context.domain();
        Response created = as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login))
                .post(MAILBOXES, context.id());
        created.then().statusCode(201);
        as(context).get(created.header("Location")).then().statusCode(200).header("ETag", equalTo(created.header("ETag")));
    }

    @Test
    void shouldRefuseAnAliasAnotherMailboxOfTheContextHasInAnyCase() {
        ContextRef context = Fixtures.context();
        String alias = unique("Team.");
        String first = unique("a") + "@" + context.domain();
        as(context).body(mailbox("new_user", Map.of("login", first), "primary_email_address", first, "alias", alias))
                .post(MAILBOXES, context.id()).then().statusCode(201);
        String second = unique("b") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", second), "primary_email_address", second,
                "alias", alias.toUpperCase())).post(MAILBOXES, context.id()), 409, "MAILBOX_ALIAS_EXISTS");
        // another context may use it
        ContextRef other = Fixtures.context(context.reseller());
        String third = unique("c") + "@" + other.domain();
        as(other).body(mailbox("new_user", Map.of("login", third), "primary_email_address", third, "alias", alias))
                .post(MAILBOXES, other.id()).then().statusCode(201);
    }

    @Test
    void shouldRefuseASizeLimitThatIsNoWholeNumberOfMegabytes() {
        ContextRef context = Fixtures.context();
        String login = unique("new") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login, "size_limit", 1500))
                .post(MAILBOXES, context.id()), 400, "VALIDATION_FAILED")
                .then().body("errors.field", contains("size_limit"));
    }

    // ---- limits -------------------------------------------------------------------------------------

    @Test
    void shouldCountNewUsersAgainstTheContextsUserAndQuotaLimits() {
        ContextRef context = Fixtures.context();
        as(context.reseller()).body(Map.of("maxUsers", 2, "maxQuotaMb", 100)).put("/oxaas/v1/admin/contexts/{cid}", context.id())
                .then().statusCode(200);
        String first = unique("a") + "@" + context.domain();
        as(context).body(mailbox("new_user", Map.of("login", first), "primary_email_address", first, "size_limit", 60 * MB))
                .post(MAILBOXES, context.id()).then().statusCode(201);
        String second = unique("b") + "@" + context.domain();
        // 60 + 50 MB > 100 MB
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", second), "primary_email_address", second, "size_limit", 50 * MB))
                .post(MAILBOXES, context.id()), 409, "LIMIT_EXCEEDED");
        as(context).body(mailbox("new_user", Map.of("login", second), "primary_email_address", second, "size_limit", 40 * MB))
                .post(MAILBOXES, context.id()).then().statusCode(201);
        // two users: the third is one too many
        String third = unique("c") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", third), "primary_email_address", third, "size_limit", MB))
                .post(MAILBOXES, context.id()), 409, "LIMIT_EXCEEDED");
    }

    @Test
    void shouldCountNewUsersAgainstTheResellersUserLimit() {
        ResellerRef reseller = Fixtures.reseller();
        asMaster().body(Map.of("restrictions", Map.of("maxUsers", 1, "maxQuotaMb", 10)))
                .put("/oxaas/v1/admin/resellers/{id}", reseller.id()).then().statusCode(200);
        ContextRef context = Fixtures.context(reseller);
        String first = unique("a") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", first), "primary_email_address", first, "size_limit", 11 * MB))
                .post(MAILBOXES, context.id()), 409, "LIMIT_EXCEEDED");
        as(context).body(mailbox("new_user", Map.of("login", first), "primary_email_address", first, "size_limit", 10 * MB))
                .post(MAILBOXES, context.id()).then().statusCode(201);
        String second = unique("b") + "@" + context.domain();
        refused(() -> as(context).body(mailbox("new_user", Map.of("login", second), "primary_email_address", second, "size_limit", MB))
                .post(MAILBOXES, context.id()), 409, "LIMIT_EXCEEDED");
    }

    @Test
    void shouldCountARaisedSizeLimitOfAnExistingUserAgainstTheQuotaLimit() {
        ContextRef context = Fixtures.context();
        as(context.reseller()).body(Map.of("maxQuotaMb", 100)).put("/oxaas/v1/admin/contexts/{cid}", context.id()).then().statusCode(200);
        UserRef user = Fixtures.user(context);
        refused(() -> as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email(), "size_limit", 101 * MB))
                .post(MAILBOXES, context.id()), 409, "LIMIT_EXCEEDED");
        long id = as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email(), "size_limit", 100 * MB))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        refused(() -> as(context).body(Map.of("size_limit", 200 * MB)).put(MAILBOX, context.id(), id), 409, "LIMIT_EXCEEDED");
    }

    // ---- reading, updating, deleting ----------------------------------------------------------------

    @Test
    void shouldListTheContextsMailboxesPagedInIdOrder() {
        ContextRef context = Fixtures.context();
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String login = unique("l" + i) + "@" + context.domain();
            ids.add(as(context).body(mailbox("new_user", Map.of("login", login, "password", secret()), "primary_email_address", login))
                    .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id"));
        }
        as(context).queryParam("limit", 2).get(MAILBOXES, context.id()).then().statusCode(200)
                .body("mailbox_id", contains(ids.get(0).intValue(), ids.get(1).intValue()));
        as(context).queryParam("limit", 2).queryParam("offset", 2).get(MAILBOXES, context.id()).then().statusCode(200)
                .body("mailbox_id", contains(ids.get(2).intValue()));
        // another context sees none of them
        ContextRef other = Fixtures.context(context.reseller());
        as(other).get(MAILBOXES, other.id()).then().statusCode(200).body("$", empty());
        as(other).get(MAILBOX, other.id(), ids.get(0)).then().statusCode(404).body("code", equalTo("MAILBOX_NOT_FOUND"));
    }

    @Test
    void shouldUpdateFlagsAddressesAndSizeLimitAndRefuseAStaleIfMatch() {
        ContextRef context = Fixtures.context();
        String login = unique("new") + "@" + context.domain();
        long id = as(context).body(mailbox("new_user", Map.of("login", login, "password", secret()), "primary_email_address", login))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        String etag = as(context).get(MAILBOX, context.id(), id).then().statusCode(200).extract().header("ETag");
        String alternative = unique("alt.") + "@" + context.domain();
        String newEtag = as(context).header("If-Match", etag)
                .body(Map.of("imap4", false, "mapi", false, "alt_email_addresses", List.of(alternative), "size_limit", 5 * MB,
                        "alias", "renamed", "mark_migrated", true))
                .put(MAILBOX, context.id(), id).then().statusCode(200)
                .body("imap4", equalTo(false)).body("mapi", equalTo(false)).body("pop3", equalTo(true))
                .body("alt_email_addresses", contains(alternative))
                .body("size_limit", equalTo((int) (5 * MB)))
                .body("alias", equalTo("renamed"))
                .body("mark_migrated", equalTo(true))
                .extract().header("ETag");
        assertNotEquals(etag, newEtag);
        refused(() -> as(context).header("If-Match", etag).body(Map.of("pop3", false)).put(MAILBOX, context.id(), id),
                412, "PRECONDITION_FAILED");
        as(context).get(USERS + "/{uid}", context.id(), as(context).get(MAILBOX, context.id(), id).jsonPath().getInt("user_id"))
                .then().body("quotaMb", equalTo(5)).body("aliases", contains(alternative));
    }

    @Test
    void shouldMoveTheMailboxesETagWhenTheUsersAddressesChangeThroughTheUsersApi() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        long id = as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email()))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        String etag = as(context).get(MAILBOX, context.id(), id).then().extract().header("ETag");
        String alias = unique("later.") + "@" + context.domain();
        as(context).put(USERS + "/{uid}/aliases/{alias}", context.id(), user.id(), alias).then().statusCode(200);
        as(context).get(MAILBOX, context.id(), id).then().body("alt_email_addresses", contains(alias))
                .header("ETag", not(equalTo(etag)));
        refused(() -> as(context).header("If-Match", etag).body(Map.of("owa", false)).put(MAILBOX, context.id(), id),
                412, "PRECONDITION_FAILED");
    }

    @Test
    void shouldDeleteTheMailboxAndKeepItsUser() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        long id = as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email()))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        String etag = as(context).get(MAILBOX, context.id(), id).then().extract().header("ETag");
        refused(() -> as(context).header("If-Match", "\"999\"").delete(MAILBOX, context.id(), id), 412, "PRECONDITION_FAILED");
        as(context).header("If-Match", etag).delete(MAILBOX, context.id(), id).then().statusCode(204);
        as(context).get(MAILBOX, context.id(), id).then().statusCode(404).body("code", equalTo("MAILBOX_NOT_FOUND"));
        as(context).delete(MAILBOX, context.id(), id).then().statusCode(404);
        as(context).get(USERS + "/{uid}", context.id(), user.id()).then().statusCode(200).body("primaryEmail", equalTo(user.email()));
        // and the user may get a mailbox again
        as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email())).post(MAILBOXES, context.id())
                .then().statusCode(201);
    }

    @Test
    void shouldDeleteTheMailboxWithItsUser() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        long id = as(context).body(mailbox("user_id", user.id(), "primary_email_address", user.email()))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        as(context).delete(USERS + "/{uid}", context.id(), user.id()).then().statusCode(204);
        as(context).get(MAILBOX, context.id(), id).then().statusCode(404);
    }

    @Test
    void shouldDeleteAContextWithItsMailboxes() {
        ContextRef context = Fixtures.context();
        String login = unique("new") + "@" + context.domain();
        as(context).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login)).post(MAILBOXES, context.id())
                .then().statusCode(201);
        as(context.reseller()).delete("/oxaas/v1/admin/contexts/{cid}", context.id()).then().statusCode(204);
        as(context.reseller()).get(MAILBOXES, context.id()).then().statusCode(404);
    }

    @Test
    void shouldLetTheOwningResellerManageMailboxesAndAuditEveryChange() {
        ContextRef context = Fixtures.context();
        String login = unique("new") + "@" + context.domain();
        long id = as(context.reseller()).body(mailbox("new_user", Map.of("login", login), "primary_email_address", login))
                .post(MAILBOXES, context.id()).then().statusCode(201).extract().jsonPath().getLong("mailbox_id");
        as(context.reseller()).body(Map.of("pop3", false)).put(MAILBOX, context.id(), id).then().statusCode(200);
        as(context.reseller()).delete(MAILBOX, context.id(), id).then().statusCode(204);
        as(context.reseller()).get("/oxaas/v1/admin/audit").then().statusCode(200)
                .body("action", hasItems("user.create", "mailbox.create", "mailbox.update", "mailbox.delete"))
                .body("findAll { it.action == 'mailbox.update' }.target", hasItem(org.hamcrest.Matchers.containsString("pop3=false")));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** A creation body with defaults for what a case does not name: a fresh alias and 1 GB. */
    private static Map<String, Object> mailbox(Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alias", unique("box"));
        body.put("size_limit", 1024 * MB);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    /** Sends the request, checks the status and code, and that nothing changed in the database. */
    private static Response refused(java.util.function.Supplier<Response> request, int status, String code) {
        Snapshot before = Snapshot.take();
        Response response = request.get();
        response.then().statusCode(status).body("code", equalTo(code));
        before.assertUnchanged("a refused request changed the database: " + response.asString());
        return response;
    }
}
