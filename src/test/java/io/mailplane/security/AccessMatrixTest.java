package io.mailplane.security;

import static io.mailplane.security.AccessMatrixTest.Rule.CONTEXT_ADMIN;
import static io.mailplane.security.AccessMatrixTest.Rule.CONTEXT_READ;
import static io.mailplane.security.AccessMatrixTest.Rule.PROVISIONING;
import static io.mailplane.security.AccessMatrixTest.Rule.RESELLER_ADMIN;
import static io.mailplane.security.AccessMatrixTest.Rule.TENANT_OR_RESELLER;
import static io.mailplane.security.AccessMatrixTest.Rule.USER;
import static io.mailplane.testing.Fixtures.anonymous;
import static io.mailplane.testing.Fixtures.asMaster;
import static io.mailplane.testing.Fixtures.secret;
import static io.mailplane.testing.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Json;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.MailServers.Mailbox;
import io.mailplane.testing.OpenApiContract;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access matrix of the admin API. For every endpoint: no or bad credentials → 401, a caller
 * of a realm the endpoint does not admit → 403, a caller of an admitted realm asking for another
 * tenant's resource → 404 (never 403), and every admitted caller succeeds. Every refused write
 * must leave the database as it found it.
 *
 * <p>Tenant trees are created once: {@code home} (the target of every refused request, which
 * nothing may change) and {@code other} (whose admins play the foreign tenant). Each successful
 * write gets fresh targets of its own, so no test depends on another or on the order they run in.
 *
 * <p>Every status an endpoint answers here must be declared for it in the OpenAPI document.
 *
 * <p>Under {@code /api/2.0/mail/} refusals are ONLYOFFICE envelopes ({@code status} 1, the HTTP
 * status as {@code statusCode}, the code as {@code error.code}); everywhere else problem documents.
 */
@QuarkusTest
@QuarkusTestResource(MailServerResource.class)
class AccessMatrixTest {

    private static final String RESELLERS = "/oxaas/v1/admin/resellers";
    private static final String CONTEXTS = "/oxaas/v1/admin/contexts";
    private static final String USERS = CONTEXTS + "/{contextid}/users";
    private static final String GROUPS = CONTEXTS + "/{contextid}/groups";
    private static final String AUDIT = "/oxaas/v1/admin/audit";
    private static final String SESSIONS = "/api/2.0/authentication";
    private static final String ONE_USER = USERS + "/{userid}";
    private static final String FORWARDS = "/oxaas/v1/admin/forwards/{contextid}";
    private static final String DOMAINS = CONTEXTS + "/{contextid}/domains";
    private static final String SHARED = "/oxaas/v1/admin/sharedmaildomains";
    private static final String MAIL = "/api/2.0/mail";
    private static final String MAIL_ACCOUNTS = MAIL + "/accounts";
    private static final String ADMIN_MAIL_ACCOUNTS = ONE_USER + "/mailaccounts";
    private static final String NOTIFICATION = "/oxaas/v1/admin/notification";
    private static final String TEMPLATES = NOTIFICATION + "/templates";
    private static final String OUTBOX = "/oxaas/v1/admin/notification/outbox";
    private static final String ANNOUNCEMENTS = "/oxaas/v1/admin/announcements";
    private static final String USER_ANNOUNCEMENTS = "/oxaas/v1/announcements";
    private static final String MAIL_STATS = "/oxaas/v1/mail/{usercontext}";
    private static final String MAILBOXES = CONTEXTS + "/{contextid}/mailboxes";
    private static final String SECONDARY = CONTEXTS + "/{contextid}/secondaryaccounts";
    private static final String SHARED_ACCOUNTS = CONTEXTS + "/{contextid}/sharedaccounts";
    private static final String MY_SHARED_ACCOUNTS = "/api/2.0/sharedaccounts";

    /**
     * Every endpoint, the rule that guards it, the status of success and a valid body. Path
     * placeholders name resources of the tenant tree: {id} is the sub-reseller, {contextid} the
     * context, {userid}/{groupid} its user/group, {alias} an alias the user has, {new-alias} a new one,
     * {mailboxId} the user's external mail account and {mail-account} that account's address;
     * {announcement} a new announcement of the owner, active now, that the user sees.
     */
    static Stream<Endpoint> endpoints() {
        return Stream.of(
                endpoint("POST",   RESELLERS,                                 PROVISIONING,  201, AccessMatrixTest::newReseller),
                endpoint("GET",    RESELLERS,                                 PROVISIONING,  200),
                endpoint("GET",    RESELLERS + "/{id}",                       PROVISIONING,  200),
                endpoint("PUT",    RESELLERS + "/{id}",                       PROVISIONING,  200, t -> Map.of("displayName", "Renamed")),
                endpoint("DELETE", RESELLERS + "/{id}",                       PROVISIONING,  204),
                endpoint("PUT",    RESELLERS + "/{id}/tenant",                PROVISIONING,  204, t -> Map.of("login", unique("tenant"), "password", secret())),
                endpoint("POST",   CONTEXTS,                                  PROVISIONING,  201, AccessMatrixTest::newContext),
                endpoint("GET",    CONTEXTS,                                  PROVISIONING,  200),
                endpoint("GET",    CONTEXTS + "/{contextid}",                 CONTEXT_READ,  200),
                endpoint("PUT",    CONTEXTS + "/{contextid}",                 PROVISIONING,  200, t -> Map.of("maxUsers", 50)),
                endpoint("DELETE", CONTEXTS + "/{contextid}",                 PROVISIONING,  204),
                endpoint("GET",    CONTEXTS + "/{contextid}/brand",           CONTEXT_ADMIN, 200),
                endpoint("POST",   USERS,                                     CONTEXT_ADMIN, 201, AccessMatrixTest::newUser),
                endpoint("GET",    USERS,                                     CONTEXT_ADMIN, 200),
                endpoint("GET",    USERS + "/{userid}",                       CONTEXT_ADMIN, 200),
                endpoint("PUT",    USERS + "/{userid}",                       CONTEXT_ADMIN, 200, t -> Map.of("displayName", "Renamed")),
                endpoint("DELETE", USERS + "/{userid}",                       CONTEXT_ADMIN, 204),
                endpoint("PUT",    USERS + "/{userid}/password",              CONTEXT_ADMIN, 204, t -> Map.of("password", secret())),
                endpoint("GET",    USERS + "/{userid}/aliases",               CONTEXT_ADMIN, 200),
                endpoint("PUT",    USERS + "/{userid}/aliases/{new-alias}",   CONTEXT_ADMIN, 200),
                endpoint("DELETE", USERS + "/{userid}/aliases/{alias}",       CONTEXT_ADMIN, 200),
                endpoint("POST",   GROUPS,                                    CONTEXT_ADMIN, 201, t -> Map.of("name", unique("team"), "members", List.of(t.user().id()))),
                endpoint("GET",    GROUPS,                                    CONTEXT_ADMIN, 200),
                endpoint("GET",    GROUPS + "/{groupid}",                     CONTEXT_ADMIN, 200),
                endpoint("PUT",    GROUPS + "/{groupid}",                     CONTEXT_ADMIN, 200, t -> Map.of("displayName", "Renamed")),
                endpoint("DELETE", GROUPS + "/{groupid}",                     CONTEXT_ADMIN, 204),
                endpoint("GET",    AUDIT,                                     PROVISIONING,  200),
                endpoint("POST",   ONE_USER,                                    CONTEXT_ADMIN, 200, t -> Map.of("oxdeliverystatus", "OXAAS")),
                endpoint("GET",    ONE_USER + "/custom",                          CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/custom",                          CONTEXT_ADMIN, 200, t -> Map.of("custom", List.of("c1"))),
                endpoint("DELETE", ONE_USER + "/custom",                          CONTEXT_ADMIN, 200),
                endpoint("GET",    ONE_USER + "/msisdn",                          CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/msisdn",                          CONTEXT_ADMIN, 200, t -> Map.of("msisdn", "+49.12345.6789")),
                endpoint("DELETE", ONE_USER + "/msisdn",                          CONTEXT_ADMIN, 200),
                endpoint("GET",    ONE_USER + "/classofservice",                  CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/classofservice",                  CONTEXT_ADMIN, 200, t -> Map.of("classofservice", List.of("cloud_pim"))),
                endpoint("DELETE", ONE_USER + "/classofservice",                  CONTEXT_ADMIN, 200),
                endpoint("GET",    ONE_USER + "/oxdeliverystatus",                CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/oxdeliverystatus",                CONTEXT_ADMIN, 200, t -> Map.of("oxdeliverystatus", "OXAAS")),
                endpoint("DELETE", ONE_USER + "/oxdeliverystatus",                CONTEXT_ADMIN, 200),
                endpoint("GET",    ONE_USER + "/oxlegacyref",                     CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/oxlegacyref",                     CONTEXT_ADMIN, 200, t -> Map.of("oxlegacyref", "LEG_1")),
                endpoint("DELETE", ONE_USER + "/oxlegacyref",                     CONTEXT_ADMIN, 200),
                endpoint("GET",    ONE_USER + "/oxantiphishing",                  CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/oxantiphishing",                  CONTEXT_ADMIN, 200, t -> Map.of("oxantiphishing", "replace-urls")),
                endpoint("DELETE", ONE_USER + "/oxantiphishing",                  CONTEXT_ADMIN, 200),
                endpoint("GET",    ONE_USER + "/uidname",                         CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/uidname",                         CONTEXT_ADMIN, 200, t -> Map.of("uidname", unique("renamed") + "@" + t.context().domain())),
                endpoint("GET",    ONE_USER + "/antivirus",                       CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/antivirus",                       CONTEXT_ADMIN, 200, t -> Map.of("antivirus", true)),
                endpoint("GET",    ONE_USER + "/spamlevel",                       CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/spamlevel",                       CONTEXT_ADMIN, 200, t -> Map.of("spamlevel", "high")),
                endpoint("DELETE", ONE_USER + "/spamlevel",                       CONTEXT_ADMIN, 200),
                endpoint("GET",    ONE_USER + "/quotamode",                       CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/quotamode",                       CONTEXT_ADMIN, 200, t -> Map.of("quotamode", "default")),
                endpoint("GET",    "/oxaas/v1/admin/users?search=x",          RESELLER_ADMIN, 200),
                endpoint("GET",    FORWARDS,                                  CONTEXT_ADMIN, 200),
                endpoint("DELETE", FORWARDS,                                  CONTEXT_ADMIN, 204),
                endpoint("GET",    FORWARDS + "/{forward}",                   CONTEXT_ADMIN, 200),
                endpoint("HEAD",   FORWARDS + "/{forward}",                   CONTEXT_ADMIN, 200),
                endpoint("PUT",    FORWARDS + "/{new-forward}",               CONTEXT_ADMIN, 201, t -> List.of("someone@partner.example")),
                endpoint("POST",   FORWARDS + "/{new-forward}",               CONTEXT_ADMIN, 201, t -> Map.of("recipient", "someone@partner.example")),
                endpoint("DELETE", FORWARDS + "/{forward}",                   CONTEXT_ADMIN, 204),
                endpoint("GET",    FORWARDS + "/{forward}/r@partner.example", CONTEXT_ADMIN, 200),
                endpoint("HEAD",   FORWARDS + "/{forward}/r@partner.example", CONTEXT_ADMIN, 200),
                endpoint("DELETE", FORWARDS + "/{forward}/r@partner.example", CONTEXT_ADMIN, 204),
                endpoint("GET",    DOMAINS,                                   CONTEXT_ADMIN, 200),
                endpoint("GET",    DOMAINS + "/{domain}",                     CONTEXT_ADMIN, 200),
                endpoint("PUT",    DOMAINS + "/{new-domain}",                 CONTEXT_ADMIN, 201),
                endpoint("DELETE", DOMAINS + "/{spare-domain}",               CONTEXT_ADMIN, 204),
                endpoint("GET",    "/oxaas/v1/admin/domains",                 RESELLER_ADMIN, 200),
                endpoint("GET",    "/oxaas/v1/admin/domains/{domain}",        RESELLER_ADMIN, 200),
                endpoint("GET",    "/oxaas/v1/admin/domains/{domain}/users",  RESELLER_ADMIN, 200),
                endpoint("GET",    SHARED,                                    RESELLER_ADMIN, 200),
                endpoint("GET",    SHARED + "/*",                             RESELLER_ADMIN, 200),
                endpoint("HEAD",   SHARED + "/{shared-domain}",               RESELLER_ADMIN, 200),
                endpoint("POST",   SHARED + "/{new-domain}",                  RESELLER_ADMIN, 200),
                endpoint("DELETE", SHARED + "/{shared-domain}",               RESELLER_ADMIN, 204),
                endpoint("GET",    ONE_USER + "/blacklist",                   CONTEXT_ADMIN, 200),
                endpoint("DELETE", ONE_USER + "/blacklist",                   CONTEXT_ADMIN, 204),
                endpoint("GET",    ONE_USER + "/blacklist/*",                 CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/blacklist/{new-entry}",       CONTEXT_ADMIN, 200),
                endpoint("DELETE", ONE_USER + "/blacklist/listed@spam.example", CONTEXT_ADMIN, 204),
                endpoint("GET",    ONE_USER + "/whitelist",                   CONTEXT_ADMIN, 200),
                endpoint("DELETE", ONE_USER + "/whitelist",                   CONTEXT_ADMIN, 204),
                endpoint("GET",    ONE_USER + "/whitelist/*",                 CONTEXT_ADMIN, 200),
                endpoint("PUT",    ONE_USER + "/whitelist/{new-entry}",       CONTEXT_ADMIN, 200),
                endpoint("DELETE", ONE_USER + "/whitelist/listed@spam.example", CONTEXT_ADMIN, 204),
                endpoint("DELETE", "/oxaas/v1/admin/sessions/?contextId={contextid}", RESELLER_ADMIN, 200),
                endpoint("POST",   SESSIONS + "/logout",                      USER,          204),
                endpoint("GET",    MAIL_ACCOUNTS,                             USER,          200),
                endpoint("POST",   MAIL_ACCOUNTS,                             USER,          201, t -> mailAccount(MailServers.mailbox())),
                endpoint("PUT",    MAIL_ACCOUNTS,                             USER,          200, t -> renamed(mailAccount(t.mailbox()))),
                endpoint("DELETE", MAIL_ACCOUNTS + "?email={mail-account}",   USER,          200),
                endpoint("GET",    MAIL_ACCOUNTS + "/single?email={mail-account}", USER,     200),
                endpoint("PUT",    MAIL_ACCOUNTS + "/state",                  USER,          200, t -> Map.of("email", t.mailbox().email(), "state", false)),
                endpoint("PUT",    MAIL_ACCOUNTS + "/default",                USER,          200, t -> Map.of("email", t.mailbox().email(), "isDefault", true)),
                endpoint("POST",   MAIL_ACCOUNTS + "/simple",                 USER,          201, t -> providerAccount()),
                endpoint("POST",   MAIL + "/signature/update/{mailboxId}",    USER,          200, t -> Map.of("html", "<p>Best, <b>Jo</b></p>", "isActive", true)),
                endpoint("POST",   MAIL + "/autoreply/update/{mailboxId}",    USER,          200, t -> Map.of("turnOn", true, "subject", "Away", "html", "<p>Back soon</p>")),
                endpoint("GET",    ADMIN_MAIL_ACCOUNTS,                       CONTEXT_ADMIN, 200),
                endpoint("DELETE", ADMIN_MAIL_ACCOUNTS,                       CONTEXT_ADMIN, 200),
                endpoint("DELETE", ADMIN_MAIL_ACCOUNTS + "/{mailboxId}",      CONTEXT_ADMIN, 200),
                // notifications (issue 12); {usercontext} is OX's userid@contextid of the tree's user
                endpoint("POST",   NOTIFICATION + "/overquota/{usercontext}",    TENANT_OR_RESELLER, 200, t -> Map.of("quota_threshold", 1000)),
                endpoint("POST",   NOTIFICATION + "/spamdisabled/{usercontext}", TENANT_OR_RESELLER, 200),
                endpoint("POST",   NOTIFICATION + "/welcome/{usercontext}",      TENANT_OR_RESELLER, 200),
                endpoint("GET",    TEMPLATES + "/welcome/de",                 RESELLER_ADMIN, 200),
                endpoint("PUT",    TEMPLATES + "/welcome/de",                 RESELLER_ADMIN, 200, t -> Map.of("subject", "Hallo {display_name}", "text", "Willkommen")),
                endpoint("DELETE", TEMPLATES + "/welcome/de",                 RESELLER_ADMIN, 204),
                endpoint("GET",    TEMPLATES + "/default-locale",             RESELLER_ADMIN, 200),
                endpoint("PUT",    TEMPLATES + "/default-locale",             RESELLER_ADMIN, 200, t -> Map.of("default_locale", "de")),
                // notification outbox ({outbox-id}: a queued mail of the tree's owner, not due yet)
                endpoint("GET",    OUTBOX,                                    PROVISIONING,  200),
                endpoint("POST",   OUTBOX + "/{outbox-id}/retry",             PROVISIONING,  200),
                endpoint("DELETE", OUTBOX + "/{outbox-id}",                   PROVISIONING,  204),
                // announcements (issue 12); {announcement}: a new one of the tree's owner that its user sees now
                endpoint("POST",   ANNOUNCEMENTS,                             RESELLER_ADMIN, 201, AccessMatrixTest::newAnnouncement),
                endpoint("GET",    ANNOUNCEMENTS,                             RESELLER_ADMIN, 200),
                endpoint("GET",    ANNOUNCEMENTS + "/*",                      RESELLER_ADMIN, 200),
                endpoint("GET",    ANNOUNCEMENTS + "/{announcement}",         RESELLER_ADMIN, 200),
                endpoint("PUT",    ANNOUNCEMENTS + "/{announcement}",         RESELLER_ADMIN, 200, t -> Map.of("name", "Renamed")),
                endpoint("DELETE", ANNOUNCEMENTS + "/{announcement}",         RESELLER_ADMIN, 204),
                endpoint("PUT",    ANNOUNCEMENTS + "/enable/{announcement}",  RESELLER_ADMIN, 200),
                endpoint("PUT",    ANNOUNCEMENTS + "/disable/{announcement}", RESELLER_ADMIN, 200),
                endpoint("GET",    USER_ANNOUNCEMENTS,                        USER,          200),
                endpoint("POST",   USER_ANNOUNCEMENTS + "/{announcement}/dismiss", USER,     204),
                // Exchange-style mailboxes (issue 14); {mailbox_id}: a mailbox of a new user of the context
                endpoint("POST",   MAILBOXES,                                 CONTEXT_ADMIN, 201, AccessMatrixTest::newMailbox),
                endpoint("GET",    MAILBOXES,                                 CONTEXT_ADMIN, 200),
                endpoint("GET",    MAILBOXES + "/{mailbox_id}",                CONTEXT_ADMIN, 200),
                endpoint("PUT",    MAILBOXES + "/{mailbox_id}",                CONTEXT_ADMIN, 200, t -> Map.of("pop3", false)),
                endpoint("DELETE", MAILBOXES + "/{mailbox_id}",                CONTEXT_ADMIN, 204),
                // secondary accounts (issue 15); {secondary}: a new one of the context, granted to its user
                endpoint("POST",   SECONDARY,                                 CONTEXT_ADMIN, 201, AccessMatrixTest::newSecondary),
                endpoint("GET",    SECONDARY,                                 CONTEXT_ADMIN, 200),
                endpoint("PUT",    SECONDARY + "/{secondary}",                CONTEXT_ADMIN, 200, t -> Map.of("name", "Renamed")),
                endpoint("DELETE", SECONDARY + "/{secondary}?users={userid}", CONTEXT_ADMIN, 204),
                // shared accounts (issue 15, part 2); {shared-account}: a new one owned by the tree's user; {shared-delegated}: one
                // with that user and the tree's group as delegates
                endpoint("POST",   SHARED_ACCOUNTS,                           CONTEXT_ADMIN, 201, AccessMatrixTest::newSharedAccount),
                endpoint("GET",    SHARED_ACCOUNTS,                           CONTEXT_ADMIN, 200),
                endpoint("GET",    SHARED_ACCOUNTS + "/{shared-account}",     CONTEXT_ADMIN, 200),
                endpoint("PUT",    SHARED_ACCOUNTS + "/{shared-account}",     CONTEXT_ADMIN, 200, t -> Map.of("displayName", "Renamed")),
                endpoint("DELETE", SHARED_ACCOUNTS + "/{shared-account}",     CONTEXT_ADMIN, 204),
                endpoint("PUT",    SHARED_ACCOUNTS + "/{shared-account}/delegates/users/{userid}",    CONTEXT_ADMIN, 201, t -> Map.of("permissions", List.of("read"))),
                endpoint("DELETE", SHARED_ACCOUNTS + "/{shared-delegated}/delegates/users/{userid}",  CONTEXT_ADMIN, 204),
                endpoint("PUT",    SHARED_ACCOUNTS + "/{shared-account}/delegates/groups/{groupid}",  CONTEXT_ADMIN, 201, t -> Map.of("permissions", List.of("read"))),
                endpoint("DELETE", SHARED_ACCOUNTS + "/{shared-delegated}/delegates/groups/{groupid}", CONTEXT_ADMIN, 204),
                endpoint("GET",    MY_SHARED_ACCOUNTS + "/owned",             USER,          200),
                endpoint("GET",    MY_SHARED_ACCOUNTS + "/delegated",         USER,          200),
                endpoint("PUT",    MY_SHARED_ACCOUNTS + "/{shared-account}/delegates/users/{userid}",    USER, 201, t -> Map.of("permissions", List.of("read"))),
                endpoint("DELETE", MY_SHARED_ACCOUNTS + "/{shared-delegated}/delegates/users/{userid}",  USER, 204),
                endpoint("PUT",    MY_SHARED_ACCOUNTS + "/{shared-account}/delegates/groups/{groupid}",  USER, 201, t -> Map.of("permissions", List.of("read"))),
                endpoint("DELETE", MY_SHARED_ACCOUNTS + "/{shared-delegated}/delegates/groups/{groupid}", USER, 204),
                // mail statistics (issue 13), read from the tree's user's mailbox on the test Dovecot
                endpoint("GET",    MAIL_STATS + "/all",                       TENANT_OR_RESELLER, 200),
                endpoint("GET",    MAIL_STATS + "/newmessages",               TENANT_OR_RESELLER, 200),
                endpoint("GET",    MAIL_STATS + "/quota",                     TENANT_OR_RESELLER, 200),
                endpoint("GET",    MAIL_STATS + "/recentmails",               TENANT_OR_RESELLER, 200),
                endpoint("GET",    MAIL_STATS + "/unread",                    TENANT_OR_RESELLER, 200),
                endpoint("GET",    MAIL_STATS + "/unread/inbox",              TENANT_OR_RESELLER, 200));
    }

    /** Who calls. Everyone but the OTHER_* callers belongs to the tenant tree being addressed. */
    enum Who {
        ANONYMOUS,
        MASTER,
        /** The reseller above the owning reseller. */
        ANCESTOR_RESELLER,
        /** The reseller that owns the context and is the parent of the sub-reseller. */
        OWNING_RESELLER,
        /** A reseller below the owner: it must not see its parent's contexts. */
        SUB_RESELLER,
        /** "oxadmin" on a path that names the context. */
        CONTEXT_ADMIN,
        /** "oxadmin@contextName", valid on any path. */
        CONTEXT_ADMIN_QUALIFIED,
        /** The owning reseller's tenant credentials. */
        TENANT,
        /** A user of the context with its own login and password. */
        USER,
        /** A user of the context with a session token. */
        USER_TOKEN,
        /** A reseller of another tree. */
        OTHER_RESELLER,
        /** The admin of another tree's context, as "oxadmin@otherContext". */
        OTHER_CONTEXT_ADMIN,
        /** A user of another tree's context, with its own login and password. */
        OTHER_USER
    }

    /** The access rules under test, written down independently of {@link Scheme}. */
    enum Rule {
        PROVISIONING(EnumSet.of(Who.MASTER, Who.OWNING_RESELLER, Who.ANCESTOR_RESELLER),
                EnumSet.of(Who.CONTEXT_ADMIN, Who.CONTEXT_ADMIN_QUALIFIED, Who.TENANT, Who.USER, Who.USER_TOKEN)),
        CONTEXT_READ(EnumSet.of(Who.MASTER, Who.OWNING_RESELLER, Who.ANCESTOR_RESELLER, Who.CONTEXT_ADMIN, Who.CONTEXT_ADMIN_QUALIFIED),
                EnumSet.of(Who.TENANT, Who.USER, Who.USER_TOKEN)),
        /** MASTER_ACCOUNT_OVERRIDE is off in tests, so the master admin is refused. */
        CONTEXT_ADMIN(EnumSet.of(Who.OWNING_RESELLER, Who.ANCESTOR_RESELLER, Who.CONTEXT_ADMIN, Who.CONTEXT_ADMIN_QUALIFIED),
                EnumSet.of(Who.MASTER, Who.TENANT, Who.USER, Who.USER_TOKEN)),
        /** OX resellerAdminAuth; MASTER_ACCOUNT_OVERRIDE is off in tests, so the master admin is refused. */
        RESELLER_ADMIN(EnumSet.of(Who.OWNING_RESELLER, Who.ANCESTOR_RESELLER),
                EnumSet.of(Who.MASTER, Who.CONTEXT_ADMIN_QUALIFIED, Who.TENANT, Who.USER, Who.USER_TOKEN)),
        /** End users only: their own login and password, or a session token. */
        USER(EnumSet.of(Who.USER, Who.USER_TOKEN),
                EnumSet.of(Who.MASTER, Who.OWNING_RESELLER, Who.ANCESTOR_RESELLER, Who.CONTEXT_ADMIN_QUALIFIED, Who.TENANT)),
        /** Notifications: the brand's tenant credentials (OX tennantAuth) or its resellers; master only with the override (off). */
        TENANT_OR_RESELLER(EnumSet.of(Who.OWNING_RESELLER, Who.ANCESTOR_RESELLER, Who.TENANT),
                EnumSet.of(Who.MASTER, Who.CONTEXT_ADMIN_QUALIFIED, Who.USER, Who.USER_TOKEN));

        final Set<Who> admitted;
        final Set<Who> wrongRealm;

        Rule(Set<Who> admitted, Set<Who> wrongRealm) {
            this.admitted = admitted;
            this.wrongRealm = wrongRealm;
        }
    }

    // ---- the matrix -----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void anonymousCallerIsRefusedWith401(Endpoint endpoint) {
        expectRefusal(endpoint, Who.ANONYMOUS, 401, "UNAUTHENTICATED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void wrongPasswordIsRefusedWith401(Endpoint endpoint) {
        String login = endpoint.rule() == USER ? home.user().name()
                : endpoint.namesContext() ? home.context().adminLogin() : home.owner().name();
        Call call = endpoint.on(home);
        Snapshot before = fingerprintBefore(call);
        Response response = call.send(Fixtures.as(login, "wrong-" + secret()));
        if (endpoint.method().equals("HEAD")) {
            check(call + " as " + login + " with a wrong password", response, then -> then.statusCode(401));
        } else {
            assertRefused(call, call + " as " + login + " with a wrong password", response, 401, "UNAUTHENTICATED");
        }
        assertUntouched(call, before);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("wrongRealmCalls")
    void callerOfARealmTheEndpointDoesNotAdmitIsRefusedWith403(Endpoint endpoint, Who who) {
        expectRefusal(endpoint, who, 403, "FORBIDDEN");
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("foreignTenantCalls")
    void anotherTenantsResourceIsReportedMissingWith404(Endpoint endpoint, Who who) {
        String code = endpoint.addressesContext() || endpoint.addressesUserContext() ? "CONTEXT_NOT_FOUND"
                : endpoint.path().contains("{mailboxId}") ? "MAIL_ACCOUNT_NOT_FOUND"
                : endpoint.path().contains("{outbox-id}") ? "OUTBOX_ENTRY_NOT_FOUND"
                : endpoint.path().contains("{announcement}") ? "ANNOUNCEMENT_NOT_FOUND" : "RESELLER_NOT_FOUND";
        expectRefusal(endpoint, who, 404, code);
        if (endpoint.namesContext()) {
            // the context's name must not reveal it either
            expectRefusal(endpoint, endpoint.onContextByName(home), who, 404, code);
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("admittedCalls")
    void admittedCallerSucceeds(Endpoint endpoint, Who who) {
        // Reads share the home tree; every write gets fresh targets of its own.
        Tenant tenant = endpoint.writes() ? freshTargetsFor(endpoint) : home;
        Call call = endpoint.on(tenant);
        check(call + " as " + who, call.send(signedInAs(who, tenant)), then -> then.statusCode(endpoint.success()));
    }

    static Stream<Arguments> wrongRealmCalls() {
        return endpoints().flatMap(e -> e.rule().wrongRealm.stream()
                // plain "oxadmin" is only a login on paths that name its context
                .filter(who -> who != Who.CONTEXT_ADMIN || e.namesContext())
                .map(who -> arguments(e, who)));
    }

    static Stream<Arguments> foreignTenantCalls() {
        return endpoints().filter(Endpoint::namesTenantResource).flatMap(e -> {
            // a user's only way to name another tenant's resource is a mailboxId on the path
            Stream<Who> foreign = e.rule() == USER ? Stream.of(Who.OTHER_USER)
                    : !e.addressesContext() && !e.addressesUserContext() ? Stream.of(Who.OTHER_RESELLER)
                    : e.rule() == PROVISIONING || e.rule() == RESELLER_ADMIN || e.rule() == TENANT_OR_RESELLER
                    ? Stream.of(Who.OTHER_RESELLER, Who.SUB_RESELLER)
                    : Stream.of(Who.OTHER_RESELLER, Who.SUB_RESELLER, Who.OTHER_CONTEXT_ADMIN);
            return foreign.map(who -> arguments(e, who));
        });
    }

    static Stream<Arguments> admittedCalls() {
        return endpoints().flatMap(e -> e.rule().admitted.stream().map(who -> arguments(e, who)));
    }

    /**
     * The matrix covers the whole API: every operation of the OpenAPI document that asks for
     * credentials has a row above (a new endpoint without one fails here).
     */
    @Test
    void everyOperationOfTheOpenApiDocumentHasARowInTheMatrix() {
        Set<String> rows = new java.util.TreeSet<>();
        endpoints().forEach(e -> {
            String path = e.path().split("\\?")[0];
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            OpenApiContract.template(path).ifPresent(t -> rows.add(e.method() + " " + t));
        });
        List<String> missing = new java.util.ArrayList<>();
        OpenApiContract.paths().keySet().forEach(template -> OpenApiContract.operations(template).forEach((method, operation) -> {
            Object security = operation.get("security");
            boolean needsCredentials = !(security instanceof List<?> list && list.isEmpty());
            String row = method.toUpperCase(java.util.Locale.ROOT) + " " + template;
            if (needsCredentials && !rows.contains(row)) {
                missing.add(row + " (" + operation.get("operationId") + ")");
            }
        }));
        assertEquals(List.of(), missing, "operations of the OpenAPI document without a row in the access matrix");
    }

    // ---- single rules ---------------------------------------------------------------------

    @Test
    void contextAdminCredentialsForAContextThatDoesNotExistAreRefusedWith401() {
        String password = home.context().adminPassword();
        assertRefused(Fixtures.as("oxadmin", password).get(CONTEXTS + "/no-such-ctx-xyz/users"), 401, "UNAUTHENTICATED");
        assertRefused(Fixtures.as("oxadmin", password).get(CONTEXTS + "/no-such-ctx-xyz"), 401, "UNAUTHENTICATED");
        assertRefused(Fixtures.as("oxadmin@no-such-ctx-xyz", password).get(CONTEXTS + "/{cid}/users", home.context().id()),
                401, "UNAUTHENTICATED");
        // "oxadmin" alone names no context on a path without one.
        assertRefused(Fixtures.as("oxadmin", password).get(CONTEXTS), 401, "UNAUTHENTICATED");
    }

    @Test
    void aResellerAskingForAContextThatDoesNotExistGets404LikeForAForeignOne() {
        ResellerRef stranger = other.owner();
        for (String path : List.of(CONTEXTS + "/no-such-ctx-xyz", CONTEXTS + "/999999999/users", CONTEXTS + "/no-such-ctx-xyz/groups/1")) {
            assertRefused("GET " + path, Fixtures.as(stranger).get(path), 404, "CONTEXT_NOT_FOUND");
        }
        assertRefused(Fixtures.as(stranger).get(RESELLERS + "/999999999999"), 404, "RESELLER_NOT_FOUND");
        // A foreign context, by id or by name, looks exactly like a missing one.
        for (String[] refs : List.of(new String[] {Long.toString(home.context().id()), "999999999"},
                new String[] {home.context().name(), "no-such-ctx-xyz"})) {
            Response foreign = Fixtures.as(stranger).get(CONTEXTS + "/" + refs[0] + "/users");
            Response missing = Fixtures.as(stranger).get(CONTEXTS + "/" + refs[1] + "/users");
            assertEquals(missing.statusCode(), foreign.statusCode());
            assertEquals(missing.jsonPath().getString("code"), foreign.jsonPath().getString("code"));
            assertEquals(missing.jsonPath().getString("detail").replace(refs[1], refs[0]), foreign.jsonPath().getString("detail"));
        }
    }

    @Test
    void aResellerOfAnotherTreeCannotReachTheResellersOfThisOne() {
        ResellerRef stranger = other.owner();
        Snapshot before = Snapshot.take();
        for (ResellerRef target : List.of(home.ancestor(), home.owner(), home.sub())) {
            String path = RESELLERS + "/" + target.id();
            assertRefused("GET " + path, Fixtures.as(stranger).get(path), 404, "RESELLER_NOT_FOUND");
            // Even a change that would be forbidden anyway (restrictions of one's own) is "not found".
            assertRefused("PUT " + path, Fixtures.as(stranger).body(Map.of("displayName", "Hijacked",
                    "restrictions", Map.of("maxContexts", 0))).put(path), 404, "RESELLER_NOT_FOUND");
            assertRefused("PUT " + path + "/tenant", Fixtures.as(stranger).body(Map.of("login", unique("tenant"), "password", secret()))
                    .put(path + "/tenant"), 404, "RESELLER_NOT_FOUND");
            assertRefused("DELETE " + path, Fixtures.as(stranger).delete(path), 404, "RESELLER_NOT_FOUND");
        }
        before.assertUnchanged();
    }

    @Test
    void aWrongPasswordIsRefusedWith401ForEveryRealm() {
        String wrong = "wrong-" + secret();
        String path = CONTEXTS + "/" + home.context().id();
        for (String login : List.of(Fixtures.MASTER_LOGIN, home.ancestor().name(), home.owner().name(),
                home.context().adminLogin(), home.context().adminLogin() + "@" + home.context().name(),
                home.tenantLogin(), home.user().name())) {
            assertRefused(Fixtures.as(login, wrong).get(path), 401, "UNAUTHENTICATED");
        }
        assertRefused(anonymous().header("Authorization", "Bearer not-a-token").get(path), 401, "UNAUTHENTICATED");
    }

    @Test
    void aWrongPasswordOpensNoSession() {
        long sessions = Db.count("SELECT COUNT(*) FROM user_sessions WHERE user_pk = (SELECT pk FROM users WHERE uidname = ?)",
                home.user().name());
        assertRefused(anonymous().body(Map.of("userName", home.user().name(), "password", "wrong-" + secret()))
                .post(SESSIONS), 401, "UNAUTHENTICATED");
        assertRefused(anonymous().body(Map.of("userName", unique("nobody") + "@example.com", "password", secret()))
                .post(SESSIONS), 401, "UNAUTHENTICATED");
        // Admin credentials open no user session either.
        assertRefused(anonymous().body(Map.of("userName", home.owner().name(), "password", home.owner().password()))
                .post(SESSIONS), 401, "UNAUTHENTICATED");
        assertEquals(sessions, Db.count("SELECT COUNT(*) FROM user_sessions WHERE user_pk = (SELECT pk FROM users WHERE uidname = ?)",
                home.user().name()));
    }

    @Test
    void listsShowNothingOfAnotherTenant() {
        Fixtures.as(other.owner()).get(RESELLERS).then().statusCode(200)
                .body("id", hasItem((int) other.owner().id()))
                .body("id", not(hasItem((int) home.owner().id())))
                .body("id", not(hasItem((int) home.sub().id())));
        Fixtures.as(other.owner()).get(CONTEXTS).then().statusCode(200)
                .body("id", hasItem((int) other.context().id()))
                .body("id", not(hasItem((int) home.context().id())));
        Fixtures.as(other.owner()).get(AUDIT).then().statusCode(200)
                .body("contextId", hasItem((int) other.context().id()))
                .body("contextId", not(hasItem((int) home.context().id())))
                .body("resellerId", not(hasItem((int) home.owner().id())));
        // A sub-reseller sees its own subtree only, not its parent's contexts.
        Fixtures.as(home.sub()).get(CONTEXTS).then().statusCode(200).body("id", not(hasItem((int) home.context().id())));
        Fixtures.as(home.sub()).get(RESELLERS).then().statusCode(200).body("id", everyItem(equalTo((int) home.sub().id())));
    }

    @Test
    void creatingUnderAnotherTenantsResellerIsRefusedWith404() {
        ResellerRef stranger = other.owner();
        Snapshot before = Snapshot.take();
        Call reseller = endpoint("POST", RESELLERS).on(home); // parentId: the home tree's owner
        assertRefused(reseller + " as OTHER_RESELLER", reseller.send(Fixtures.as(stranger)), 404, "RESELLER_NOT_FOUND");
        assertUntouched(reseller, before);
        Call context = endpoint("POST", CONTEXTS).on(home); // resellerId: the home tree's owner
        assertRefused(context + " as OTHER_RESELLER", context.send(Fixtures.as(stranger)), 404, "RESELLER_NOT_FOUND");
        assertUntouched(context, before);
    }

    @Test
    void anotherUsersMailboxIdIsReportedMissingWith404() {
        // The home admin, on the home user's path, naming the other tree's external account.
        Snapshot before = Snapshot.take();
        Response foreign = Fixtures.as(home.context())
                .delete(ADMIN_MAIL_ACCOUNTS + "/{mid}", home.context().id(), home.user().id(), other.mailboxId());
        assertRefused("DELETE the other tree's mailboxId on the home user's path", foreign, 404, "MAIL_ACCOUNT_NOT_FOUND");
        before.assertUnchanged("the refused DELETE changed the database (the other tree's external account?)");

        // A neighbour in the same context: neither the user nor the admin (on the user's path) reaches its account.
        Tenant t = newTree(workbench.ancestor(), workbench.owner(), false, true, false, true);
        UserRef neighbour = Fixtures.user(t.context());
        Mailbox box = MailServers.mailbox();
        long neighbours = createMailAccount(neighbour, box);
        Snapshot beforeProbes = Snapshot.take();
        for (String kind : List.of("signature", "autoreply")) {
            Endpoint e = endpoint("POST", MAIL + "/" + kind + "/update/{mailboxId}");
            Call call = new Call(e, MAIL + "/" + kind + "/update/" + neighbours, e.on(t).body());
            assertRefused(call, call + " as a user of the same context", call.send(Fixtures.as(t.user())), 404, "MAIL_ACCOUNT_NOT_FOUND");
        }
        assertRefused("DELETE the neighbour's mailboxId on the user's path", Fixtures.as(t.context())
                .delete(ADMIN_MAIL_ACCOUNTS + "/{mid}", t.context().id(), t.user().id(), neighbours), 404, "MAIL_ACCOUNT_NOT_FOUND");
        beforeProbes.assertUnchanged("a refused request changed an external account");
        Fixtures.as(neighbour).queryParam("email", box.email()).get(MAIL_ACCOUNTS + "/single").then().statusCode(200)
                .body("response.mailboxId", equalTo((int) neighbours))
                .body("response.signature.isActive", equalTo(false))
                .body("response.autoreply.turnOn", equalTo(false));
    }

    // ---- how a refusal is checked ---------------------------------------------------------

    private static void expectRefusal(Endpoint endpoint, Who who, int status, String code) {
        expectRefusal(endpoint, endpoint.on(home), who, status, code);
    }

    private static void expectRefusal(Endpoint endpoint, Call call, Who who, int status, String code) {
        Snapshot before = fingerprintBefore(call);
        Response response = call.send(signedInAs(who, home));
        if (endpoint.method().equals("HEAD")) {
            // HEAD answers carry no body: the status (and the challenge) must say it all.
            check(call + " as " + who, response, then -> then.statusCode(status));
        } else {
            assertRefused(call, call + " as " + who, response, status, code);
        }
        assertUntouched(call, before);
    }

    private static void assertRefused(Response response, int status, String code) {
        assertRefused("The request", response, status, code);
    }

    /** A refusal on a path outside {@code /api/2.0/mail/}: a problem document. */
    private static void assertRefused(String request, Response response, int status, String code) {
        check(request, response, then -> {
            then.statusCode(status).contentType("application/problem+json");
            JsonNode body = Json.of(response);
            assertTrue(Json.isNumber(body.path("status"), status), "status");
            assertEquals(code, body.path("code").asText(null), "code");
            if (status == 401) {
                then.header("WWW-Authenticate", startsWith("Basic "));
            }
        });
    }

    /** A refusal of {@code call}: an ONLYOFFICE envelope under {@code /api/2.0/mail/}, a problem document elsewhere. */
    private static void assertRefused(Call call, String request, Response response, int status, String code) {
        if (!call.path().startsWith(MAIL + "/")) {
            assertRefused(request, response, status, code);
            return;
        }
        check(request, response, then -> {
            then.statusCode(status).contentType(startsWith("application/json"));
            JsonNode body = Json.of(response);
            assertTrue(Json.isNumber(body.path("status"), 1), "status");
            assertTrue(Json.isNumber(body.path("statusCode"), status), "statusCode");
            assertEquals(code, body.path("error").path("code").asText(null), "error.code");
            assertTrue(Json.isNonEmptyText(body.path("error").path("message")), "error.message");
            assertFalse(body.has("code") || body.has("response"), "no code or response at the top");
            if (status == 401) {
                then.header("WWW-Authenticate", startsWith("Basic "));
            }
        });
    }

    /** REST Assured checks whose failure names the request and shows the answer. */
    private static void check(String request, Response response, Consumer<ValidatableResponse> expectations) {
        try {
            expectations.accept(response.then());
        } catch (AssertionError e) {
            throw new AssertionError(request + " answered " + response.statusCode() + " " + response.asString()
                    + System.lineSeparator() + e.getMessage(), e);
        }
    }

    /**
     * For a write: nothing in the database changed, and nothing was created under the name the
     * body asked for. ({@code before} is null for reads, which are not fingerprinted.)
     */
    private static void assertUntouched(Call call, Snapshot before) {
        if (before == null) {
            return;
        }
        before.assertUnchanged(call + " was refused but changed the database");
        if (call.body() instanceof Map<?, ?> body) {
            for (String key : List.of("name", "login")) {
                if (body.get(key) instanceof String name) {
                    assertEquals(0, Db.count("SELECT (SELECT COUNT(*) FROM resellers WHERE name = ?)"
                                    + " + (SELECT COUNT(*) FROM contexts WHERE name = ?)"
                                    + " + (SELECT COUNT(*) FROM users WHERE uidname = ?)"
                                    + " + (SELECT COUNT(*) FROM groups_ WHERE name = ?)"
                                    + " + (SELECT COUNT(*) FROM tenant_credentials WHERE login = ?)", name, name, name, name, name),
                            call + " was refused but created '" + name + "'");
                }
            }
            if (body.get("email") instanceof String email) {
                assertEquals(email.equals(home.mailbox().email()) ? 1 : 0,
                        Db.count("SELECT COUNT(*) FROM mail_accounts WHERE email = ?", email),
                        call + " was refused but created an external account for " + email);
            }
        }
    }

    private static Snapshot fingerprintBefore(Call call) {
        return call.endpoint().writes() ? Snapshot.take() : null;
    }

    // ---- callers and tenant trees ---------------------------------------------------------

    private static RequestSpecification signedInAs(Who who, Tenant t) {
        return switch (who) {
            case ANONYMOUS -> anonymous();
            case MASTER -> asMaster();
            case ANCESTOR_RESELLER -> Fixtures.as(t.ancestor());
            case OWNING_RESELLER -> Fixtures.as(t.owner());
            case SUB_RESELLER -> Fixtures.as(t.sub());
            case CONTEXT_ADMIN -> Fixtures.as(t.context());
            case CONTEXT_ADMIN_QUALIFIED -> Fixtures.asQualified(t.context());
            case TENANT -> Fixtures.as(t.tenantLogin(), t.tenantPassword());
            case USER -> Fixtures.as(t.user());
            case USER_TOKEN -> anonymous().header("Authorization", "Bearer " + t.token());
            case OTHER_RESELLER -> Fixtures.as(other.owner());
            case OTHER_CONTEXT_ADMIN -> Fixtures.asQualified(other.context());
            case OTHER_USER -> Fixtures.as(other.user());
        };
    }

    /**
     * A reseller tree: ancestor → owner → sub; the owner has a context with a user (who has an
     * alias and an external mail account, {@code mailbox} at {@code mailboxId}) and a group
     * holding that user. The shared trees also have the owner's tenant credentials and a session
     * of the user; fresh targets have only what their endpoint needs.
     */
    record Tenant(ResellerRef ancestor, ResellerRef owner, ResellerRef sub, ContextRef context, UserRef user,
                  String alias, int groupId, String tenantLogin, String tenantPassword, String token,
                  Mailbox mailbox, long mailboxId) {
    }

    /** Target of every refused request. */
    private static Tenant home;
    /** The foreign tenant whose admins ask for home's resources. */
    private static Tenant other;
    /** Two resellers under which successful writes create their targets; no test changes them. */
    private static Tenant workbench;

    /** Once per class; in a @BeforeEach because Quarkus points REST Assured at the test port only per test. */
    @BeforeEach
    void createSharedTreesOnce() {
        if (home == null) {
            home = withTenantAndSession(newTree());
            // Every attribute set, so that reading any of them succeeds.
            Fixtures.as(home.context()).body(Map.of("msisdn", "+49.12345.6789", "oxdeliverystatus", "OXAAS", "custom", List.of("c0")))
                    .post(USERS + "/{uid}", home.context().id(), home.user().id()).then().statusCode(200);
            for (Map<String, Object> attribute : List.<Map<String, Object>>of(Map.of("classofservice", List.of("guard")),
                    Map.of("oxlegacyref", "L0"), Map.of("oxantiphishing", "on"), Map.of("antivirus", true), Map.of("quotamode", "unified"))) {
                Fixtures.as(home.context()).body(attribute)
                        .put(USERS + "/{uid}/" + attribute.keySet().iterator().next(), home.context().id(), home.user().id())
                        .then().statusCode(200);
            }
            other = withTenantAndSession(newTree());
            ResellerRef top = Fixtures.reseller();
            workbench = newTree(top, Fixtures.subReseller(top), false, false, false, false);
        }
    }

    private static Tenant newTree() {
        ResellerRef ancestor = Fixtures.reseller();
        return newTree(ancestor, Fixtures.subReseller(ancestor), true, true, true, true);
    }

    /** Fresh targets for one successful write, under the workbench resellers: only what it needs. */
    private static Tenant freshTargetsFor(Endpoint e) {
        Tenant t = newTree(workbench.ancestor(), workbench.owner(), e.path().contains("{id}"),
                e.addressesContext() || e.rule() == USER || e.path().contains("{shared-domain}") || e.addressesUserContext(),
                e.path().contains("{groupid}"), e.touchesMailAccounts());
        if (e.rule().admitted.contains(Who.TENANT)) {
            t = withWorkbenchTenant(t);
        }
        return e.rule() != USER ? t : new Tenant(t.ancestor(), t.owner(), t.sub(), t.context(), t.user(), t.alias(),
                t.groupId(), null, null, openSession(t.user()), t.mailbox(), t.mailboxId());
    }

    /**
     * Under {@code owner}: a sub-reseller; a context with a user who has an alias (and, when asked
     * for, an external mail account on the test mail server); a group holding that user.
     */
    private static Tenant newTree(ResellerRef ancestor, ResellerRef owner, boolean withSub, boolean withContext,
                                  boolean withGroup, boolean withMailAccount) {
        ResellerRef sub = withSub ? Fixtures.subReseller(owner) : null;
        if (!withContext) {
            return new Tenant(ancestor, owner, sub, null, null, null, 0, null, null, null, null, 0);
        }
        ContextRef context = Fixtures.context(owner);
        String login = unique("u") + "@" + context.domain();
        String password = secret();
        String alias = unique("alias") + "@" + context.domain();
        int userId = Json.of(Fixtures.as(context).body(Map.of("name", login, "password", password, "displayName", "User",
                        "primaryEmail", login, "aliases", List.of(alias)))
                .post(USERS, context.id())
                .then().statusCode(201).extract().response()).at("/id").asInt();
        UserRef user = new UserRef(userId, login, password, login, context);
        int groupId = !withGroup ? 0 : Json.of(Fixtures.as(context).body(Map.of("name", unique("team"), "members", List.of(userId)))
                .post(GROUPS, context.id())
                .then().statusCode(201).extract().response()).at("/id").asInt();
        // A forward, a spare domain, a shared domain of the owner and a listed entry, for the rows that need them.
        Fixtures.as(context).body(List.of("r@partner.example")).put("/oxaas/v1/admin/forwards/{cid}/fwd@" + context.domain(), context.id())
                .then().statusCode(201);
        Fixtures.as(context).put(CONTEXTS + "/{cid}/domains/spare." + context.domain(), context.id()).then().statusCode(201);
        Fixtures.as(owner).post(SHARED + "/shared-" + context.name() + ".example.org").then().statusCode(200);
        for (String list : List.of("blacklist", "whitelist")) {
            Fixtures.as(context).put(USERS + "/{uid}/" + list + "/listed@spam.example", context.id(), userId).then().statusCode(200);
        }
        Mailbox mailbox = withMailAccount ? MailServers.mailbox() : null;
        long mailboxId = withMailAccount ? createMailAccount(user, mailbox) : 0;
        return new Tenant(ancestor, owner, sub, context, user, alias, groupId, null, null, null, mailbox, mailboxId);
    }

    private static Tenant withTenantAndSession(Tenant t) {
        String tenantLogin = unique("tenant");
        String tenantPassword = secret();
        Fixtures.as(t.owner()).body(Map.of("login", tenantLogin, "password", tenantPassword))
                .put(RESELLERS + "/{id}/tenant", t.owner().id()).then().statusCode(204);
        return new Tenant(t.ancestor(), t.owner(), t.sub(), t.context(), t.user(), t.alias(), t.groupId(),
                tenantLogin, tenantPassword, openSession(t.user()), t.mailbox(), t.mailboxId());
    }

    /** The workbench owner's tenant credentials (set once), for fresh targets of rules that admit them. */
    private static String[] workbenchTenant;

    private static Tenant withWorkbenchTenant(Tenant t) {
        if (workbenchTenant == null) {
            workbenchTenant = new String[] {unique("tenant"), secret()};
            Fixtures.as(workbench.owner()).body(Map.of("login", workbenchTenant[0], "password", workbenchTenant[1]))
                    .put(RESELLERS + "/{id}/tenant", workbench.owner().id()).then().statusCode(204);
        }
        return new Tenant(t.ancestor(), t.owner(), t.sub(), t.context(), t.user(), t.alias(), t.groupId(),
                workbenchTenant[0], workbenchTenant[1], t.token(), t.mailbox(), t.mailboxId());
    }

    private static String openSession(UserRef user) {
        return Json.of(anonymous().body(Map.of("userName", user.name(), "password", user.password()))
                .post(SESSIONS).then().statusCode(201).extract().response()).at("/response/token").asText();
    }

    private static Map<String, Object> newReseller(Tenant t) {
        String name = unique("res");
        return Map.of("name", name, "password", secret(), "displayName", "Reseller " + name, "brand", name + ".brand",
                "parentId", t.owner().id());
    }

    private static Map<String, Object> newContext(Tenant t) {
        return Map.of("name", unique("ctx"), "adminPassword", secret(), "resellerId", t.owner().id());
    }

    /** The user's external account for this mailbox, created (and so verified) through the API. */
    private static long createMailAccount(UserRef user, Mailbox box) {
        return Json.of(Fixtures.as(user).body(mailAccount(box)).post(MAIL_ACCOUNTS)
                .then().statusCode(201).extract().response()).at("/response/mailboxId").asLong();
    }

    /** Full settings of a mailbox on the test mail server: IMAP and SMTP without TLS. */
    private static Map<String, Object> mailAccount(Mailbox box) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "External " + box.login());
        body.put("email", box.email());
        body.put("account", box.login());
        body.put("password", box.password());
        body.put("server", MailServers.HOST);
        body.put("port", MailServers.imap());
        body.put("incoming_encryption_type", "None");
        body.put("smtp_server", MailServers.HOST);
        body.put("smtp_port", MailServers.smtp());
        body.put("outcoming_encryption_type", "None");
        body.put("smtp_auth", true);
        body.put("imap", true);
        return body;
    }

    private static Map<String, Object> renamed(Map<String, Object> body) {
        body.put("name", "Renamed");
        return body;
    }

    /** An address of the provider the service knows settings for, with a mailbox on the test mail server. */
    private static Map<String, Object> providerAccount() {
        String email = unique("prov") + "@" + MailServerResource.PROVIDER_DOMAIN;
        String password = secret();
        MailServers.get().setUser(email, email, password);
        return Map.of("email", email, "password", password);
    }

    /** A mail in the outbox for the tree's owner, queued but due only tomorrow (so no worker sends it meanwhile); its id. */
    private static long queuedMail(Tenant t) {
        String to = unique("n") + "@notify.example";
        Db.update("INSERT INTO notification_outbox (reseller_id, kind, recipient, subject, text_body, next_attempt_at) "
                + "VALUES (?, 'welcome', ?, 'Welcome', 'Hello', CURRENT_TIMESTAMP(3) + INTERVAL 1 DAY)", t.owner().id(), to);
        return Db.count("SELECT id FROM notification_outbox WHERE recipient = ?", to);
    }

    /** An announcement, active now and discardable, of the tree's owner: the tree's user sees it. */
    private static Map<String, Object> newAnnouncement(Tenant t) {
        java.time.Instant now = java.time.Instant.now();
        return Map.of("name", unique("news"), "msgJsonObject", Map.of("text", "News"), "timezone", "UTC", "discardable", true,
                "startDatetime", now.minusSeconds(3600).toString(), "endDatetime", now.plusSeconds(3600).toString());
    }

    private static long newAnnouncementOf(Tenant t) {
        return Json.of(Fixtures.as(t.owner()).body(newAnnouncement(t)).post(ANNOUNCEMENTS)
                .then().statusCode(201).extract().response()).at("/id").asLong();
    }

    /** A mailbox for a new user of the tree's context. */
    private static Map<String, Object> newMailbox(Tenant t) {
        String login = unique("mb") + "@" + t.context().domain();
        return Map.of("new_user", Map.of("login", login, "password", secret()), "alias", unique("box"),
                "primary_email_address", login, "size_limit", 1024);
    }

    /** Exchange-style mailboxes, one per context (refused calls leave it; a write that succeeds has a fresh context). */
    private static final Map<Long, Long> EXCHANGE_MAILBOXES = new java.util.concurrent.ConcurrentHashMap<>();

    private static long exchangeMailboxOf(Tenant t) {
        return EXCHANGE_MAILBOXES.computeIfAbsent(t.context().id(), id -> Json.of(Fixtures.as(t.context()).body(newMailbox(t))
                .post(MAILBOXES.replace("{contextid}", Long.toString(id)))
                .then().statusCode(201).extract().response()).at("/mailbox_id").asLong());
    }

    /** A secondary account (issue 15) for the tree's user, with a fresh address. */
    private static Map<String, Object> newSecondary(Tenant t) {
        String address = unique("shared") + "@" + t.context().domain();
        return Map.of("primaryAddress", address, "users", List.of(t.user().id()), "login", address, "password", secret(),
                "mailEndpoint", Map.of("source", "none", "server", "imap.example.com", "port", 143, "protocol", "imap"));
    }

    private static String newSecondaryOf(Tenant t) {
        Map<String, Object> body = newSecondary(t);
        Fixtures.as(t.context()).body(body).post(SECONDARY.replace("{contextid}", "{cid}"), t.context().id())
                .then().statusCode(201);
        return (String) body.get("primaryAddress");
    }

    /** A shared account (issue 15, part 2) of type mailbox, owned by the tree's user. */
    private static Map<String, Object> newSharedAccount(Tenant t) {
        return Map.of("address", unique("team") + "@" + t.context().domain(), "type", "mailbox", "owner", t.user().id());
    }

    /** A new shared account owned by the tree's user; with {@code delegated}, that user and the tree's group (if any) are its delegates. */
    private static String newSharedAccountOf(Tenant t, boolean delegated) {
        Map<String, Object> body = newSharedAccount(t);
        String address = (String) body.get("address");
        String one = SHARED_ACCOUNTS.replace("{contextid}", "{cid}") + "/{address}";
        Fixtures.as(t.context()).body(body).post(SHARED_ACCOUNTS.replace("{contextid}", "{cid}"), t.context().id()).then().statusCode(201);
        if (delegated) {
            Fixtures.as(t.context()).body(Map.of("permissions", List.of("read"))).put(one + "/delegates/users/{uid}", t.context().id(), address,
                    t.user().id()).then().statusCode(201);
            if (t.groupId() != 0) {
                Fixtures.as(t.context()).body(Map.of("permissions", List.of("read"))).put(one + "/delegates/groups/{gid}", t.context().id(),
                        address, t.groupId()).then().statusCode(201);
            }
        }
        return address;
    }

    private static Map<String, Object> newUser(Tenant t) {
        String login = unique("u") + "@" + t.context().domain();
        return Map.of("name", login, "password", secret(), "displayName", "New user", "primaryEmail", login);
    }

    // ---- endpoints ------------------------------------------------------------------------

    /** The row of the matrix for this method and path. */
    private static Endpoint endpoint(String method, String path) {
        return endpoints().filter(e -> e.method().equals(method) && e.path().equals(path)).findFirst().orElseThrow();
    }

    private static Endpoint endpoint(String method, String path, Rule rule, int success) {
        return new Endpoint(method, path, rule, success, t -> null);
    }

    private static Endpoint endpoint(String method, String path, Rule rule, int success, Function<Tenant, Object> body) {
        return new Endpoint(method, path, rule, success, body);
    }

    record Endpoint(String method, String path, Rule rule, int success, Function<Tenant, Object> body) {
        boolean writes() {
            return !method.equals("GET");
        }

        /** The context is part of the path (so plain "oxadmin" is a login here). */
        boolean namesContext() {
            return path.split("\\?")[0].contains("{contextid}");
        }

        /** The context is named in the path or in the query. */
        boolean addressesContext() {
            return path.contains("{contextid}");
        }

        boolean namesTenantResource() {
            return path.contains("{id}") || addressesContext() || path.contains("{mailboxId}") || addressesUserContext()
                    || path.contains("{outbox-id}") || path.contains("{announcement}");
        }

        /** OX's usercontext ({@code userid@contextid}) on the path: the user's context is resolved by the endpoint. */
        boolean addressesUserContext() {
            return path.contains("{usercontext}");
        }

        /** Under /api/2.0/mail/ or a user's mailaccounts: its targets need a user with an external account. */
        boolean touchesMailAccounts() {
            return path.startsWith(MAIL + "/") || path.contains("/mailaccounts");
        }

        /** This endpoint aimed at the resources of {@code t}, with a fresh body. */
        Call on(Tenant t) {
            return on(t, path);
        }

        /** The same, naming the context on the path by its name instead of its id. */
        Call onContextByName(Tenant t) {
            return on(t, path.replace("{contextid}", t.context().name()));
        }

        private Call on(Tenant t, String path) {
            String resolved = path;
            resolved = fill(resolved, "{id}", () -> t.sub().id());
            resolved = fill(resolved, "{usercontext}", () -> t.user().id() + "@" + t.context().id());
            resolved = fill(resolved, "{contextid}", () -> t.context().id());
            resolved = fill(resolved, "{userid}", () -> t.user().id());
            resolved = fill(resolved, "{groupid}", t::groupId);
            resolved = fill(resolved, "{new-alias}", () -> unique("alias") + "@" + t.context().domain());
            resolved = fill(resolved, "{alias}", t::alias);
            resolved = fill(resolved, "{new-forward}", () -> unique("nf") + "@" + t.context().domain());
            resolved = fill(resolved, "{forward}", () -> "fwd@" + t.context().domain());
            resolved = fill(resolved, "{new-domain}", () -> unique("nd") + ".example.net");
            resolved = fill(resolved, "{spare-domain}", () -> "spare." + t.context().domain());
            resolved = fill(resolved, "{shared-domain}", () -> "shared-" + t.context().name() + ".example.org");
            resolved = fill(resolved, "{domain}", () -> t.context().domain());
            resolved = fill(resolved, "{new-entry}", () -> unique("e") + "@spam.example");
            resolved = fill(resolved, "{mailboxId}", t::mailboxId);
            resolved = fill(resolved, "{mail-account}", () -> t.mailbox().email());
            resolved = fill(resolved, "{outbox-id}", () -> queuedMail(t));
            resolved = fill(resolved, "{announcement}", () -> newAnnouncementOf(t));
            resolved = fill(resolved, "{mailbox_id}", () -> exchangeMailboxOf(t));
            resolved = fill(resolved, "{secondary}", () -> newSecondaryOf(t));
            resolved = fill(resolved, "{shared-account}", () -> newSharedAccountOf(t, false));
            resolved = fill(resolved, "{shared-delegated}", () -> newSharedAccountOf(t, true));
            return new Call(this, resolved, body.apply(t));
        }

        private static String fill(String path, String placeholder, Supplier<Object> value) {
            return path.contains(placeholder) ? path.replace(placeholder, String.valueOf(value.get())) : path;
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** An endpoint aimed at concrete resources, with its body. Every status it answers must be declared in the OpenAPI document. */
    record Call(Endpoint endpoint, String path, Object body) {
        Response send(RequestSpecification caller) {
            if (body != null) {
                caller.body(body);
            }
            return caller.filter(OpenApiContract.statusDeclared()).request(endpoint.method(), path);
        }

        @Override
        public String toString() {
            return endpoint + " (" + path + ")";
        }
    }
}
