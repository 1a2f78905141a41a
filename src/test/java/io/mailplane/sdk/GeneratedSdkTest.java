package io.mailplane.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.sdk.api.AdminApi;
import io.mailplane.sdk.api.ExplicitDomainsApi;
import io.mailplane.sdk.api.ForwardsApi;
import io.mailplane.sdk.api.MailAccountsApi;
import io.mailplane.sdk.api.ProvisioningApi;
import io.mailplane.sdk.api.UserSessionsApi;
import io.mailplane.sdk.model.ContextView;
import io.mailplane.sdk.model.CreateContext;
import io.mailplane.sdk.model.CreateReseller;
import io.mailplane.sdk.model.CreateUser;
import io.mailplane.sdk.model.Credentials;
import io.mailplane.sdk.model.Domain;
import io.mailplane.sdk.model.EnvelopeListAccount;
import io.mailplane.sdk.model.FieldError;
import io.mailplane.sdk.model.MsisdnValue;
import io.mailplane.sdk.model.Problem;
import io.mailplane.sdk.model.RecipientAddresses;
import io.mailplane.sdk.model.RecipientSingle;
import io.mailplane.sdk.model.Recipients;
import io.mailplane.sdk.model.ResellerView;
import io.mailplane.sdk.model.UserSummary;
import io.mailplane.sdk.model.UserView;
import io.mailplane.testing.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java client that OpenAPI Generator ({@code java}, library {@code native}) makes of the
 * committed {@code openapi/openapi.yaml} during the build drives README's walkthrough: typed
 * answers, typed problems, both forms of a forwards body, Basic and bearer authentication.
 */
@QuarkusTest
class GeneratedSdkTest {

    @TestHTTPResource("/")
    URL service;

    @Test
    void theGeneratedClientWalksThroughReadmesWalkthrough() throws Exception {
        // 1. The master admin creates a reseller (brand).
        String name = Fixtures.unique("acme");
        ResellerView reseller = new ProvisioningApi(basic(Fixtures.MASTER_LOGIN, Fixtures.MASTER_PASSWORD))
                .createReseller(new CreateReseller().name(name).password("acme-secret-1").displayName("Acme Hosting").brand(name + ".brand"));
        assertEquals(name, reseller.getName());
        assertTrue(reseller.getId() > 0);

        // 2. The reseller creates a context with its admin (login "oxadmin").
        String contextName = Fixtures.unique("example");
        ContextView context = new ProvisioningApi(basic(name, "acme-secret-1"))
                .createContext(new CreateContext().name(contextName).adminPassword("example-admin-1").maxUsers(100));
        assertEquals(reseller.getId(), context.getResellerId());
        assertEquals("oxadmin", context.getAdminLogin());

        // 3. The context admin claims the context's mail domain and creates a user on it.
        ApiClient admin = basic("oxadmin", "example-admin-1");
        String domain = contextName + ".example.com";
        Domain claimed = new ExplicitDomainsApi(admin).claimContextDomain(contextName, domain);
        assertEquals(domain, claimed.getDomain());
        String alice = "alice@" + domain;
        UserView created = new ProvisioningApi(admin).createUser(contextName, new CreateUser().name(alice).password("alice-secret-1")
                .displayName("Alice").primaryEmail(alice).aliases(List.of("a.smith@" + domain)).quotaMb(2048L));
        assertEquals(3, created.getId());

        // 4. ... and reads it back, by the context's id, typed.
        UserView read = new ProvisioningApi(admin).getUser(Long.toString(context.getId()), created.getId());
        assertEquals(alice, read.getName());
        assertEquals("Alice", read.getDisplayName());
        assertEquals(List.of("a.smith@" + domain), read.getAliases());
        assertEquals(2048L, read.getQuotaMb());
        assertEquals(context.getId(), read.getContextId());

        // Cloud-Plugins attributes: msisdn set and read.
        UserSummary summary = new AdminApi(admin).setUserMsisdn(contextName, created.getId(), new MsisdnValue().msisdn("+49.12345.6789"));
        assertEquals("+49.12345.6789", summary.getMsisdn());
        assertEquals(created.getId(), summary.getUserId());
        assertEquals("+49.12345.6789", new AdminApi(admin).getUserMsisdn(contextName, created.getId()).getMsisdn());

        // Forwards: README's array form, then the {"recipient":...} form, then the listing.
        ForwardsApi forwards = new ForwardsApi(admin);
        String team = "team@" + domain;
        RecipientAddresses addresses = new RecipientAddresses();
        addresses.addAll(List.of(alice, "bob@partner.example"));
        assertEquals(List.of(alice, "bob@partner.example"), forwards.putForward(contextName, team, new Recipients(addresses)));
        RecipientAddresses added = forwards.addForwardRecipients(contextName, team, new Recipients(new RecipientSingle().recipient("carol@partner.example")));
        assertTrue(added.contains("carol@partner.example"), "added: " + added);
        Map<String, List<String>> all = forwards.listForwards(contextName, null, null);
        assertEquals(List.of(alice, "bob@partner.example", "carol@partner.example"), all.get(team).stream().sorted().toList());

        // A validation error is a typed Problem.
        ApiException invalid = assertThrows(ApiException.class, () -> new ProvisioningApi(admin).createUser(contextName,
                new CreateUser().name("bob@" + domain).password("bob-secret-1").displayName("Bob").primaryEmail("not an address")));
        assertEquals(400, invalid.getCode());
        Problem problem = admin.getObjectMapper().readValue(invalid.getResponseBody(), Problem.class);
        assertEquals("VALIDATION_FAILED", problem.getCode());
        assertEquals(400, problem.getStatus());
        assertEquals(List.of("primaryEmail"), problem.getErrors().stream().map(FieldError::getField).toList());

        // The user signs in and lists their external mail accounts with the session token.
        String token = new UserSessionsApi(client()).signIn(new Credentials().userName(alice).password("alice-secret-1"))
                .getResponse().getToken();
        assertNotNull(token);
        assertFalse(token.isBlank());
        EnvelopeListAccount accounts = new MailAccountsApi(bearer(token)).listMailAccounts();
        assertEquals(200, accounts.getStatusCode());
        assertEquals(0, accounts.getStatus());
        assertEquals(List.of(), accounts.getResponse());
        ApiException anonymous = assertThrows(ApiException.class, () -> new MailAccountsApi(client()).listMailAccounts());
        assertEquals(401, anonymous.getCode());
    }

    private ApiClient client() {
        ApiClient client = new ApiClient();
        client.updateBaseUri(service.toString().replaceAll("/$", ""));
        return client;
    }

    private ApiClient basic(String login, String password) {
        String credentials = Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client().setRequestInterceptor(request -> request.header("Authorization", "Basic " + credentials));
    }

    private ApiClient bearer(String token) {
        return client().setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    }
}
