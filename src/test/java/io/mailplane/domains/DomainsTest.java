package io.mailplane.domains;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** OX Cloud-Plugins explicit (per-context) and shared (per-brand) mail domains, and what they mean for addresses. */
@QuarkusTest
class DomainsTest {
    private static final String CONTEXT_DOMAINS = "/oxaas/v1/admin/contexts/{cid}/domains";
    private static final String CONTEXT_DOMAIN = CONTEXT_DOMAINS + "/{domain}";
    private static final String BRAND_DOMAINS = "/oxaas/v1/admin/domains";
    private static final String BRAND_DOMAIN = BRAND_DOMAINS + "/{domain}";
    private static final String SHARED_DOMAINS = "/oxaas/v1/admin/sharedmaildomains";
    private static final String SHARED_DOMAIN = SHARED_DOMAINS + "/{domain}";
    private static final String USERS = "/oxaas/v1/admin/contexts/{cid}/users";
    private static final String USER = USERS + "/{uid}";
    private static final String FORWARD = "/oxaas/v1/admin/forwards/{cid}/{alias}";
    private static final String AUDIT = "/oxaas/v1/admin/audit";

    private static String newDomain() {
        return Fixtures.unique("d") + ".example.net";
    }

    private static String ownerOf(String domain) {
        return Db.string("SELECT CONCAT(COALESCE(context_id, '-'), '/', COALESCE(reseller_id, '-')) FROM mail_domains WHERE name = ?", domain);
    }

    private static Response createUser(ContextRef context, String primary, List<String> aliases) {
        String local = Fixtures.unique("u");
        return Fixtures.as(context)
                .body(Map.of("name", local + "@" + context.domain(), "password", Fixtures.secret(), "displayName", "User " + local,
                        "primaryEmail", primary, "aliases", aliases))
                .post(USERS, context.id());
    }

    private static int userOn(ContextRef context, String primary, List<String> aliases) {
        return createUser(context, primary, aliases).then().statusCode(201).extract().jsonPath().getInt("id");
    }

    private static List<String> sorted(String... names) {
        return Stream.of(names).sorted().toList();
    }

    // ---- Explicit domains of a context ----------------------------------------------------

    @Test
    void shouldClaimReadListAndReleaseAnExplicitDomainOfAContext() {
        ContextRef context = Fixtures.context();
        String first = "b" + newDomain();
        String second = "a" + newDomain();

        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), first)
                .then().statusCode(201).body("$", aMapWithSize(1)).body("domain", equalTo(first));
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.name(), second)
                .then().statusCode(201).body("domain", equalTo(second));
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), first)
                .then().statusCode(200).body("$", aMapWithSize(1)).body("domain", equalTo(first));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", first));
        assertEquals(context.id() + "/-", ownerOf(first));

        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), first)
                .then().statusCode(200).body("$", aMapWithSize(1)).body("domain", equalTo(first));
        Fixtures.as(context).get(CONTEXT_DOMAINS, context.name())
                .then().statusCode(200).body("$", aMapWithSize(1))
                .body("domains", equalTo(sorted(context.domain(), first, second)));

        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), first).then().statusCode(204);
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), first)
                .then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), first)
                .then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(context).get(CONTEXT_DOMAINS, context.id())
                .then().statusCode(200).body("domains", equalTo(sorted(context.domain(), second)));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", first));

        // Released, the name is free again.
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), first).then().statusCode(201);
    }

    @Test
    void shouldAnswerNotFoundForADomainTheContextDoesNotOwn() {
        ContextRef context = Fixtures.context();
        ContextRef other = Fixtures.context();
        String nobodys = newDomain();
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), nobodys)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), other.domain())
                .then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Snapshot before = Snapshot.take();
        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), other.domain())
                .then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(context).queryParam("force", true).delete(CONTEXT_DOMAIN, context.id(), other.domain())
                .then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        before.assertUnchanged();
        assertEquals(other.id() + "/-", ownerOf(other.domain()));
    }

    @Test
    void shouldLetTheResellerTreeManageTheDomainsOfItsContexts() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        ContextRef context = Fixtures.context(sub);
        String byParent = newDomain();
        String bySub = newDomain();
        Fixtures.as(parent).put(CONTEXT_DOMAIN, context.id(), byParent).then().statusCode(201).body("domain", equalTo(byParent));
        Fixtures.as(sub).put(CONTEXT_DOMAIN, context.name(), bySub).then().statusCode(201).body("domain", equalTo(bySub));
        Fixtures.as(sub).put(CONTEXT_DOMAIN, context.id(), byParent).then().statusCode(200);
        Fixtures.as(context).get(CONTEXT_DOMAINS, context.id())
                .then().statusCode(200).body("domains", equalTo(sorted(context.domain(), byParent, bySub)));
        Fixtures.as(parent).get(CONTEXT_DOMAIN, context.id(), bySub).then().statusCode(200).body("domain", equalTo(bySub));
        Fixtures.as(parent).delete(CONTEXT_DOMAIN, context.id(), bySub).then().statusCode(204);
        Fixtures.as(sub).delete(CONTEXT_DOMAIN, context.id(), byParent).then().statusCode(204);
        Fixtures.asQualified(context).get(CONTEXT_DOMAINS, context.id())
                .then().statusCode(200).body("domains", contains(context.domain()));
    }

    @Test
    void shouldRefuseADomainThatAnotherContextOrABrandOwns() {
        ContextRef owner = Fixtures.context();
        ContextRef rival = Fixtures.context();
        String taken = newDomain();
        Fixtures.as(owner).put(CONTEXT_DOMAIN, owner.id(), taken).then().statusCode(201);
        String shared = newDomain();
        Fixtures.as(owner.reseller()).post(SHARED_DOMAIN, shared).then().statusCode(200);

        Snapshot before = Snapshot.take();
        Fixtures.as(rival).put(CONTEXT_DOMAIN, rival.id(), taken)
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("DOMAIN_EXISTS"));
        Fixtures.as(rival).put(CONTEXT_DOMAIN, rival.id(), taken.toUpperCase())
                .then().statusCode(409).body("code", equalTo("DOMAIN_EXISTS"));
        // The shared domain of a brand cannot become an explicit domain, neither of another brand's context nor of its own.
        Fixtures.as(rival).put(CONTEXT_DOMAIN, rival.id(), shared).then().statusCode(409).body("code", equalTo("DOMAIN_EXISTS"));
        Fixtures.as(owner).put(CONTEXT_DOMAIN, owner.id(), shared).then().statusCode(409).body("code", equalTo("DOMAIN_EXISTS"));
        before.assertUnchanged();
        assertEquals(owner.id() + "/-", ownerOf(taken));
        assertEquals("-/" + owner.reseller().id(), ownerOf(shared));
        Fixtures.as(rival).get(CONTEXT_DOMAIN, rival.id(), taken).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(rival).get(CONTEXT_DOMAINS, rival.id()).then().statusCode(200).body("domains", contains(rival.domain()));
    }

    /**
     * Who may call the domain endpoints is AccessMatrixTest's; a forced release (which would also
     * delete the domain's forwards) is refused to a caller who cannot see the context like any other.
     */
    @Test
    void shouldNotLetAForcedReleaseReachAContextTheCallerCannotSee() {
        ContextRef context = Fixtures.context();
        ContextRef other = Fixtures.context();
        String owned = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), owned).then().statusCode(201);
        Snapshot before = Snapshot.take();
        for (Supplier<RequestSpecification> caller : List.<Supplier<RequestSpecification>>of(
                () -> Fixtures.asQualified(other), () -> Fixtures.as(other.reseller()))) {
            caller.get().queryParam("force", true).delete(CONTEXT_DOMAIN, context.id(), owned)
                    .then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        }
        before.assertUnchanged();
        assertEquals(context.id() + "/-", ownerOf(owned));
    }

    @Test
    void shouldNotLetAContextAdminTouchAnotherContextsDomainsNorCreateSharedOnes() {
        ContextRef mine = Fixtures.context();
        ContextRef theirs = Fixtures.context(mine.reseller());
        Snapshot before = Snapshot.take();
        // Same reseller, yet another context: its admin sees nothing of it.
        Fixtures.asQualified(mine).get(CONTEXT_DOMAINS, theirs.id()).then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        Fixtures.asQualified(mine).delete(CONTEXT_DOMAIN, theirs.name(), theirs.domain()).then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        Fixtures.asQualified(mine).put(CONTEXT_DOMAIN, theirs.id(), newDomain()).then().statusCode(404).body("code", equalTo("CONTEXT_NOT_FOUND"));
        // Through its own context it cannot release or take over the other context's domain either.
        Fixtures.as(mine).delete(CONTEXT_DOMAIN, mine.id(), theirs.domain()).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(mine).put(CONTEXT_DOMAIN, mine.id(), theirs.domain()).then().statusCode(409).body("code", equalTo("DOMAIN_EXISTS"));
        // Shared domains are the brand's business.
        String shared = newDomain();
        Fixtures.asQualified(mine).post(SHARED_DOMAIN, shared).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        Fixtures.asQualified(mine).delete(SHARED_DOMAIN, shared).then().statusCode(403);
        before.assertUnchanged();
        assertEquals(theirs.id() + "/-", ownerOf(theirs.domain()));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", shared));
    }

    @Test
    void shouldRefuseToReleaseADomainWhileAUsersAddressIsOnItUnlessForced() {
        ContextRef context = Fixtures.context();
        String primaryDomain = newDomain();
        String aliasDomain = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), primaryDomain).then().statusCode(201);
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), aliasDomain).then().statusCode(201);
        int user = userOn(context, "boss@" + primaryDomain, List.of("info@" + aliasDomain));

        Snapshot before = Snapshot.take();
        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), primaryDomain)
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("DOMAIN_IN_USE"));
        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), aliasDomain)
                .then().statusCode(409).body("code", equalTo("DOMAIN_IN_USE"));
        Fixtures.as(context).queryParam("force", false).delete(CONTEXT_DOMAIN, context.id(), aliasDomain)
                .then().statusCode(409).body("code", equalTo("DOMAIN_IN_USE"));
        before.assertUnchanged();
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), primaryDomain).then().statusCode(200);

        // Once the alias is gone the domain is free to go.
        Fixtures.as(context).delete(USER + "/aliases/{alias}", context.id(), user, "info@" + aliasDomain).then().statusCode(200);
        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), aliasDomain).then().statusCode(204);

        // Forced, it goes at once; the user stays.
        Fixtures.as(context).queryParam("force", true).delete(CONTEXT_DOMAIN, context.id(), primaryDomain).then().statusCode(204);
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), primaryDomain).then().statusCode(404);
        Fixtures.as(context).get(USER, context.id(), user).then().statusCode(200).body("primaryEmail", equalTo("boss@" + primaryDomain));
    }

    @Test
    void shouldRefuseToReleaseADomainWhileAForwardIsOnItAndDropTheForwardsWhenForced() {
        ContextRef context = Fixtures.context();
        String domain = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), domain).then().statusCode(201);
        String alias = "sales@" + domain;
        String keep = "keep@" + context.domain();
        Fixtures.as(context).body(List.of("r@elsewhere.example")).put(FORWARD, context.id(), alias).then().statusCode(201);
        Fixtures.as(context).body(List.of("r@elsewhere.example")).put(FORWARD, context.id(), keep).then().statusCode(201);

        Snapshot before = Snapshot.take();
        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), domain).then().statusCode(409).body("code", equalTo("DOMAIN_IN_USE"));
        before.assertUnchanged();
        Fixtures.as(context).get(FORWARD, context.id(), alias).then().statusCode(200);

        Fixtures.as(context).queryParam("force", "true").delete(CONTEXT_DOMAIN, context.id(), domain).then().statusCode(204);
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), domain).then().statusCode(404);
        Fixtures.as(context).get(FORWARD, context.id(), alias).then().statusCode(404);
        assertEquals(0, Db.count("SELECT COUNT(*) FROM forwards WHERE alias = ?", alias));
        // Forwards on other domains are untouched.
        Fixtures.as(context).get(FORWARD, context.id(), keep).then().statusCode(200).body("$", contains("r@elsewhere.example"));
    }

    // ---- Explicit domains across a brand -----------------------------------------------------

    @Test
    void shouldListAndCheckTheExplicitDomainsOfTheWholeBrandTree() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        ContextRef top = Fixtures.context(parent);
        ContextRef below = Fixtures.context(sub);
        ContextRef stranger = Fixtures.context();
        String extra = newDomain();
        Fixtures.as(below).put(CONTEXT_DOMAIN, below.id(), extra).then().statusCode(201);
        String shared = newDomain();
        Fixtures.as(parent).post(SHARED_DOMAIN, shared).then().statusCode(200);

        Fixtures.as(parent).get(BRAND_DOMAINS)
                .then().statusCode(200).body("$", aMapWithSize(1))
                .body("domains", equalTo(sorted(top.domain(), below.domain(), extra)));
        Fixtures.as(sub).get(BRAND_DOMAINS)
                .then().statusCode(200).body("domains", equalTo(sorted(below.domain(), extra)));

        Fixtures.as(parent).get(BRAND_DOMAIN, extra).then().statusCode(200).body("$", aMapWithSize(1)).body("domain", equalTo(extra));
        Fixtures.as(parent).get(BRAND_DOMAIN, extra.toUpperCase()).then().statusCode(200).body("domain", equalTo(extra));
        Fixtures.as(sub).get(BRAND_DOMAIN, below.domain()).then().statusCode(200);
        Fixtures.as(sub).get(BRAND_DOMAIN, top.domain()).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(parent).get(BRAND_DOMAIN, stranger.domain()).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(stranger.reseller()).get(BRAND_DOMAIN, top.domain()).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(stranger.reseller()).get(BRAND_DOMAINS).then().statusCode(200).body("domains", contains(stranger.domain()));
        // Shared domains are not explicit ones.
        Fixtures.as(parent).get(BRAND_DOMAIN, shared).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(parent).get(BRAND_DOMAIN, newDomain()).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(parent).get(BRAND_DOMAIN, "no-dot").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void shouldListTheUsersWithAnAddressOnAnExplicitDomain() {
        ResellerRef parent = Fixtures.reseller();
        ContextRef context = Fixtures.context(Fixtures.subReseller(parent));
        String domain = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), domain).then().statusCode(201);
        String primaryLocal = Fixtures.unique("p");
        Response byPrimary = createUser(context, primaryLocal + "@" + domain, List.of());
        byPrimary.then().statusCode(201);
        Response byAlias = createUser(context, Fixtures.unique("q") + "@" + context.domain(), List.of("alias@" + domain));
        byAlias.then().statusCode(201);
        Response byBoth = createUser(context, Fixtures.unique("r") + "@" + domain, List.of("both@" + domain, "x@" + context.domain()));
        byBoth.then().statusCode(201);
        Fixtures.user(context);

        Fixtures.as(parent).get(BRAND_DOMAIN + "/users", domain)
                .then().statusCode(200).body("$", aMapWithSize(1))
                .body("users", org.hamcrest.Matchers.hasSize(3))
                .body("users.'context-id'", everyItem(equalTo((int) context.id())))
                .body("users.'user-id'", containsInAnyOrder(byPrimary.jsonPath().getInt("id"), byAlias.jsonPath().getInt("id"),
                        byBoth.jsonPath().getInt("id")))
                .body("users.uidname", containsInAnyOrder(byPrimary.jsonPath().getString("name"), byAlias.jsonPath().getString("name"),
                        byBoth.jsonPath().getString("name")));
        Fixtures.as(parent).get(BRAND_DOMAIN + "/users", context.domain())
                .then().statusCode(200).body("users.uidname", hasItem(byAlias.jsonPath().getString("name")))
                .body("users.uidname", not(hasItem(byPrimary.jsonPath().getString("name"))));

        String unused = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), unused).then().statusCode(201);
        Fixtures.as(parent).get(BRAND_DOMAIN + "/users", unused).then().statusCode(200).body("users", empty());
        Fixtures.as(Fixtures.reseller()).get(BRAND_DOMAIN + "/users", domain).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
    }

    /**
     * Who may call the brand's domain endpoints is AccessMatrixTest's; a forced release of a shared
     * domain is refused to the callers of other realms like a plain one.
     */
    @Test
    void shouldRefuseAForcedReleaseOfASharedDomainToEveryoneButResellers() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String shared = newDomain();
        Fixtures.as(context.reseller()).post(SHARED_DOMAIN, shared).then().statusCode(200);
        Snapshot before = Snapshot.take();
        for (Supplier<RequestSpecification> caller : List.<Supplier<RequestSpecification>>of(
                Fixtures::asMaster, () -> Fixtures.asQualified(context), () -> Fixtures.as(user))) {
            caller.get().queryParam("force", true).delete(SHARED_DOMAIN, shared).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        }
        before.assertUnchanged();
        assertEquals("-/" + context.reseller().id(), ownerOf(shared));
    }

    // ---- Shared domains of a brand -----------------------------------------------------------

    @Test
    void shouldCreateCheckListAndDeleteASharedDomain() {
        ResellerRef brand = Fixtures.reseller();
        String first = "b" + newDomain();
        String second = "a" + newDomain();
        Fixtures.as(brand).post(SHARED_DOMAIN, first).then().statusCode(200).body("$", aMapWithSize(1)).body("domain", equalTo(first));
        Fixtures.as(brand).post(SHARED_DOMAIN, first).then().statusCode(200).body("domain", equalTo(first));
        Fixtures.as(brand).post(SHARED_DOMAIN, second.toUpperCase()).then().statusCode(200).body("domain", equalTo(second));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", first));
        assertEquals("-/" + brand.id(), ownerOf(first));

        Fixtures.as(brand).head(SHARED_DOMAIN, first).then().statusCode(200);
        Fixtures.as(brand).get(SHARED_DOMAINS).then().statusCode(200).body("$", aMapWithSize(1)).body("domains", equalTo(sorted(first, second)));
        Fixtures.as(brand).get(SHARED_DOMAINS + "/*").then().statusCode(200).body("domains", equalTo(sorted(first, second)));

        Fixtures.as(brand).delete(SHARED_DOMAIN, first).then().statusCode(204);
        Fixtures.as(brand).head(SHARED_DOMAIN, first).then().statusCode(404);
        Fixtures.as(brand).delete(SHARED_DOMAIN, first).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(brand).get(SHARED_DOMAINS).then().statusCode(200).body("domains", contains(second));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", first));
        Fixtures.as(brand).head(SHARED_DOMAIN, newDomain()).then().statusCode(404);
    }

    @Test
    void shouldRefuseASharedDomainThatAContextOrAnotherBrandOwns() {
        ResellerRef brand = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(brand);
        ResellerRef rival = Fixtures.reseller();
        ContextRef context = Fixtures.context(brand);
        String shared = newDomain();
        Fixtures.as(brand).post(SHARED_DOMAIN, shared).then().statusCode(200);

        Snapshot before = Snapshot.take();
        Fixtures.as(rival).post(SHARED_DOMAIN, shared).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("DOMAIN_EXISTS"));
        Fixtures.as(sub).post(SHARED_DOMAIN, shared).then().statusCode(409).body("code", equalTo("DOMAIN_EXISTS"));
        Fixtures.as(brand).post(SHARED_DOMAIN, context.domain()).then().statusCode(409).body("code", equalTo("DOMAIN_EXISTS"));
        Fixtures.as(rival).post(SHARED_DOMAIN, context.domain()).then().statusCode(409).body("code", equalTo("DOMAIN_EXISTS"));
        Fixtures.as(rival).delete(SHARED_DOMAIN, shared).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(rival).queryParam("force", true).delete(SHARED_DOMAIN, shared).then().statusCode(404);
        Fixtures.as(brand).delete(SHARED_DOMAIN, context.domain()).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        Fixtures.as(rival).head(SHARED_DOMAIN, shared).then().statusCode(404);
        before.assertUnchanged();
        assertEquals("-/" + brand.id(), ownerOf(shared));
        assertEquals(context.id() + "/-", ownerOf(context.domain()));
        Fixtures.as(rival).get(SHARED_DOMAINS).then().statusCode(200).body("domains", empty());
    }

    @Test
    void shouldShowTheSharedDomainsOfTheCallersBrandTreeOnly() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        String ofParent = newDomain();
        String ofSub = newDomain();
        Fixtures.as(parent).post(SHARED_DOMAIN, ofParent).then().statusCode(200);
        Fixtures.as(sub).post(SHARED_DOMAIN, ofSub).then().statusCode(200);

        Fixtures.as(parent).get(SHARED_DOMAINS).then().statusCode(200).body("domains", equalTo(sorted(ofParent, ofSub)));
        Fixtures.as(parent).head(SHARED_DOMAIN, ofSub).then().statusCode(200);
        Fixtures.as(sub).get(SHARED_DOMAINS + "/*").then().statusCode(200).body("domains", contains(ofSub));
        Fixtures.as(sub).head(SHARED_DOMAIN, ofParent).then().statusCode(404);
        Fixtures.as(sub).delete(SHARED_DOMAIN, ofParent).then().statusCode(404).body("code", equalTo("DOMAIN_NOT_FOUND"));
        assertEquals("-/" + parent.id(), ownerOf(ofParent));
        // The parent brand may remove what its sub-brand shares.
        Fixtures.as(parent).delete(SHARED_DOMAIN, ofSub).then().statusCode(204);
        Fixtures.as(sub).head(SHARED_DOMAIN, ofSub).then().statusCode(404);
        Fixtures.as(sub).get(SHARED_DOMAINS).then().statusCode(200).body("domains", empty());
    }

    @Test
    void shouldRefuseToDeleteASharedDomainWhileTheBrandTreeUsesItUnlessForced() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        ContextRef below = Fixtures.context(sub);
        ContextRef top = Fixtures.context(parent);
        String shared = newDomain();
        Fixtures.as(parent).post(SHARED_DOMAIN, shared).then().statusCode(200);
        // A sub-brand's context may use its parent brand's shared domain.
        int user = userOn(below, "ceo@" + shared, List.of());
        String alias = "orders@" + shared;
        Fixtures.as(top).body(List.of("r@elsewhere.example")).put(FORWARD, top.id(), alias).then().statusCode(201);

        Snapshot before = Snapshot.take();
        Fixtures.as(parent).delete(SHARED_DOMAIN, shared).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("DOMAIN_IN_USE"));
        before.assertUnchanged();
        Fixtures.as(parent).head(SHARED_DOMAIN, shared).then().statusCode(200);

        // Moving the user off still leaves the forward.
        Fixtures.as(below).body(Map.of("primaryEmail", "ceo@" + below.domain())).put(USER, below.id(), user).then().statusCode(200);
        Fixtures.as(parent).delete(SHARED_DOMAIN, shared).then().statusCode(409).body("code", equalTo("DOMAIN_IN_USE"));

        Fixtures.as(parent).queryParam("force", true).delete(SHARED_DOMAIN, shared).then().statusCode(204);
        Fixtures.as(parent).head(SHARED_DOMAIN, shared).then().statusCode(404);
        Fixtures.as(top).get(FORWARD, top.id(), alias).then().statusCode(404);
        assertEquals(0, Db.count("SELECT COUNT(*) FROM forwards WHERE alias = ?", alias));
        // The domain is gone: new addresses on it are refused.
        createUser(top, "late@" + shared, List.of()).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    // ---- Addresses of users ------------------------------------------------------------------

    @Test
    void shouldAcceptAddressesOnTheContextsOwnAndItsBrandsSharedDomains() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        ContextRef context = Fixtures.context(sub);
        String explicit = newDomain();
        String ofSub = newDomain();
        String ofParent = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), explicit).then().statusCode(201);
        Fixtures.as(sub).post(SHARED_DOMAIN, ofSub).then().statusCode(200);
        Fixtures.as(parent).post(SHARED_DOMAIN, ofParent).then().statusCode(200);

        int user = userOn(context, "main@" + ofParent, List.of("a@" + explicit, "b@" + ofSub, "c@" + context.domain()));
        Fixtures.as(context).get(USER, context.id(), user).then().statusCode(200)
                .body("primaryEmail", equalTo("main@" + ofParent))
                .body("aliases", containsInAnyOrder("a@" + explicit, "b@" + ofSub, "c@" + context.domain()));
        Fixtures.as(context).body(Map.of("primaryEmail", "main@" + ofSub)).put(USER, context.id(), user)
                .then().statusCode(200).body("primaryEmail", equalTo("main@" + ofSub));
        Fixtures.as(context).put(USER + "/aliases/{alias}", context.id(), user, "d@" + ofParent.toUpperCase())
                .then().statusCode(200).body("aliases", hasItem("d@" + ofParent));
    }

    @Test
    void shouldRefuseUserAddressesOutsideTheContextsDomainsAndCreateOrChangeNothing() {
        ResellerRef parent = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(parent);
        ContextRef top = Fixtures.context(parent);
        ContextRef context = Fixtures.context(sub);
        ContextRef neighbour = Fixtures.context(sub);
        ContextRef stranger = Fixtures.context();
        String ofSub = newDomain();
        Fixtures.as(sub).post(SHARED_DOMAIN, ofSub).then().statusCode(200);
        String ofStranger = newDomain();
        Fixtures.as(stranger.reseller()).post(SHARED_DOMAIN, ofStranger).then().statusCode(200);
        int user = userOn(context, "keep@" + context.domain(), List.of("alias@" + context.domain()));

        List<String> foreign = List.of(
                "x@" + newDomain(),               // nobody's
                "x@" + neighbour.domain(),        // another context of the same brand
                "x@" + stranger.domain(),         // another brand's context
                "x@" + ofStranger);               // another brand's shared domain
        Snapshot before = Snapshot.take();
        for (String address : foreign) {
            createUser(context, address, List.of()).then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("VALIDATION_FAILED"));
            createUser(context, "ok-" + Fixtures.unique("v") + "@" + context.domain(), List.of(address))
                    .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
            Fixtures.as(context).body(Map.of("primaryEmail", address, "displayName", "Changed")).put(USER, context.id(), user)
                    .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
            Fixtures.as(context).body(Map.of("aliases", List.of(address), "displayName", "Changed")).put(USER, context.id(), user)
                    .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
            Fixtures.as(context).put(USER + "/aliases/{alias}", context.id(), user, address)
                    .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
            before.assertUnchanged(address);
        }
        // A parent brand's context cannot use a sub-brand's shared domain.
        createUser(top, "x@" + ofSub, List.of()).then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
        before.assertUnchanged();
        Fixtures.as(context).get(USER, context.id(), user).then().statusCode(200)
                .body("primaryEmail", equalTo("keep@" + context.domain()))
                .body("aliases", contains("alias@" + context.domain()))
                .body("displayName", not(equalTo("Changed")));
    }

    // ---- Names -----------------------------------------------------------------------------

    static Stream<String> invalidDomains() {
        String label = "a".repeat(63);
        return Stream.of(
                "nodot" + Fixtures.unique("x"),
                "-bad.example",
                "bad-.example",
                "a..b",
                ".example.com",
                "example.com.",
                label + "." + label + "." + label + "." + "a".repeat(62) + ".com",
                "b".repeat(64) + ".example.com",
                "exa mple.com",
                "exa_mple.com",
                "host.123",
                "1.2.3.4",
                "x@example.com",
                "*.example.com");
    }

    /** One context for all invalid names: nothing may change it anyway. */
    private static ContextRef invalidNamesContext;

    @ParameterizedTest
    @MethodSource("invalidDomains")
    void shouldRejectAnInvalidDomainNameWith400AndChangeNothing(String name) {
        if (invalidNamesContext == null) {
            invalidNamesContext = Fixtures.context();
        }
        ContextRef context = invalidNamesContext;
        Snapshot before = Snapshot.take();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), name)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), name).then().statusCode(400);
        Fixtures.as(context).queryParam("force", true).delete(CONTEXT_DOMAIN, context.id(), name).then().statusCode(400);
        Fixtures.as(context.reseller()).post(SHARED_DOMAIN, name)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
        Fixtures.as(context.reseller()).head(SHARED_DOMAIN, name).then().statusCode(400);
        Fixtures.as(context.reseller()).delete(SHARED_DOMAIN, name).then().statusCode(400);
        before.assertUnchanged();
    }

    @Test
    void shouldStoreInternationalisedAndUppercaseDomainsAsLowercasePunycode() {
        ContextRef context = Fixtures.context();
        String base = Fixtures.unique("i");
        String idn = base + ".bücher.example";
        String puny = base + ".xn--bcher-kva.example";
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), idn).then().statusCode(201).body("domain", equalTo(puny));
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), base.toUpperCase() + ".BÜCHER.Example").then().statusCode(200).body("domain", equalTo(puny));
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), puny).then().statusCode(200).body("domain", equalTo(puny));
        assertEquals(1, Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", puny));
        Fixtures.as(context).get(CONTEXT_DOMAIN, context.id(), idn).then().statusCode(200).body("domain", equalTo(puny));
        Fixtures.as(context).get(CONTEXT_DOMAINS, context.id()).then().statusCode(200).body("domains", hasItem(puny));
        Fixtures.as(context.reseller()).get(BRAND_DOMAIN, idn).then().statusCode(200).body("domain", equalTo(puny));
        // An address on the IDN domain lands on the punycode domain.
        int user = userOn(context, "info@" + idn, List.of());
        Fixtures.as(context).get(USER, context.id(), user).then().statusCode(200).body("primaryEmail", equalTo("info@" + puny));

        String upper = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), upper.toUpperCase()).then().statusCode(201).body("domain", equalTo(upper));
        assertEquals(upper, Db.string("SELECT name FROM mail_domains WHERE name = ?", upper));

        String sharedBase = Fixtures.unique("s");
        Fixtures.as(context.reseller()).post(SHARED_DOMAIN, sharedBase + ".Bücher.example").then().statusCode(200)
                .body("domain", equalTo(sharedBase + ".xn--bcher-kva.example"));
        Fixtures.as(context.reseller()).head(SHARED_DOMAIN, sharedBase + ".xn--bcher-kva.example").then().statusCode(200);
        Fixtures.as(context.reseller()).delete(SHARED_DOMAIN, sharedBase + ".bücher.example").then().statusCode(204);
    }

    // ---- Races -------------------------------------------------------------------------------

    @Test
    void shouldGiveANewDomainToExactlyOneOfTwoContextsClaimingItAtOnce() throws Exception {
        ContextRef first = Fixtures.context();
        ContextRef second = Fixtures.context();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String domain = newDomain();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (ContextRef context : List.of(first, second)) {
                    Callable<Integer> claim = () -> {
                        start.await();
                        return Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), domain).statusCode();
                    };
                    results.add(pool.submit(claim));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : results) {
                    statuses.add(f.get(30, TimeUnit.SECONDS));
                }
                assertTrue(statuses.containsAll(List.of(201, 409)), "round " + round + ": " + statuses);
                assertEquals(1, Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", domain), "round " + round);
                long winner = statuses.get(0) == 201 ? first.id() : second.id();
                assertEquals(winner + "/-", ownerOf(domain), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldNotReleaseADomainAsUnusedWhileAUserIsTakingAnAddressOnIt() throws Exception {
        ContextRef context = Fixtures.context();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> broken = new ArrayList<>();
        try {
            for (int round = 0; round < 12; round++) {
                String domain = newDomain();
                Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), domain).then().statusCode(201);
                String address = "racer@" + domain;
                // Creating a user takes some milliseconds; the release starts at a different point of it each round.
                // Jitter that spreads the two requests over the race window, not an order: either may win every
                // round, and both outcomes are accepted below as long as they are consistent.
                long delayMicros = round * 1500L;
                CountDownLatch start = new CountDownLatch(1);
                Future<Integer> create = pool.submit(() -> {
                    start.await();
                    return createUser(context, address, List.of()).statusCode();
                });
                Future<Integer> release = pool.submit(() -> {
                    start.await();
                    TimeUnit.MICROSECONDS.sleep(delayMicros);
                    return Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), domain).statusCode();
                });
                start.countDown();
                int created = create.get(30, TimeUnit.SECONDS);
                int released = release.get(30, TimeUnit.SECONDS);
                long users = Db.count("SELECT COUNT(*) FROM users WHERE primary_email = ?", address);
                long owned = Db.count("SELECT COUNT(*) FROM mail_domains WHERE name = ?", domain);
                // Either the user came first (the release is refused as in use) or the release did (the user is refused).
                boolean consistent = (created == 201 && released == 409 && users == 1 && owned == 1)
                        || (created == 400 && released == 204 && users == 0 && owned == 0);
                if (!consistent) {
                    broken.add("release after " + delayMicros + " µs: POST user " + created + ", DELETE domain " + released
                            + ", users on it " + users + ", domain rows " + owned);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(broken.isEmpty(), "a domain was released as unused while a user took an address on it: " + broken);
    }

    // ---- Audit -------------------------------------------------------------------------------

    @Test
    void shouldAuditEveryDomainChange() {
        ContextRef context = Fixtures.context();
        ResellerRef brand = context.reseller();
        String explicit = newDomain();
        String shared = newDomain();
        Fixtures.as(context).put(CONTEXT_DOMAIN, context.id(), explicit).then().statusCode(201);
        Fixtures.as(context).delete(CONTEXT_DOMAIN, context.id(), explicit).then().statusCode(204);
        Fixtures.as(brand).post(SHARED_DOMAIN, shared).then().statusCode(200);
        Fixtures.as(brand).delete(SHARED_DOMAIN, shared).then().statusCode(204);

        List<Map<String, Object>> entries = Fixtures.as(brand).get(AUDIT).then().statusCode(200).extract().jsonPath().getList("$");
        List<String> actions = entries.stream()
                .filter(e -> String.valueOf(e.get("target")).contains(explicit) || String.valueOf(e.get("target")).contains(shared))
                .map(e -> (String) e.get("action")).toList();
        org.hamcrest.MatcherAssert.assertThat(actions,
                hasItems("domain.create", "domain.delete", "shareddomain.create", "shareddomain.delete"));
        Map<String, Object> created = entries.stream()
                .filter(e -> "domain.create".equals(e.get("action")) && String.valueOf(e.get("target")).contains(explicit))
                .findFirst().orElseThrow();
        assertEquals((int) context.id(), ((Number) created.get("contextId")).intValue());
        assertEquals((int) brand.id(), ((Number) created.get("resellerId")).intValue());
        // A refused claim leaves no trace.
        ContextRef rival = Fixtures.context();
        Fixtures.as(rival).put(CONTEXT_DOMAIN, rival.id(), context.domain()).then().statusCode(409);
        long before = Db.count("SELECT COUNT(*) FROM audit_log");
        Fixtures.as(rival).put(CONTEXT_DOMAIN, rival.id(), context.domain()).then().statusCode(409);
        Fixtures.as(brand).delete(SHARED_DOMAIN, shared).then().statusCode(404);
        assertEquals(before, Db.count("SELECT COUNT(*) FROM audit_log"));
    }
}
