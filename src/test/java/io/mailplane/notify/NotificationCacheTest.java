package io.mailplane.notify;

import static io.mailplane.notify.NotificationRequestTest.NOTIFY;
import static io.mailplane.notify.NotificationRequestTest.tenantOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.mailplane.directory.CredentialKeys;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.InvalidationSignals;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A notification resolves the brand lineage, the brands' templates and default locale from caches
 * (no query once warm); what changes them is honoured at once on the replica that made the change
 * and, on the others, as soon as their poll applied the change event ({@link InvalidationSignals}).
 */
@QuarkusTest
class NotificationCacheTest {
    /** One poll period is a second; five are plenty on a loaded machine. */
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Inject
    InvalidationSignals invalidations;

    /** The welcome mail to the user, sent with the tenant credentials. */
    private static ValidatableResponse welcome(Supplier<RequestSpecification> tenant, UserRef user) {
        return tenant.get().post(NOTIFY + "welcome/" + user.id() + "@" + user.context().id()).then().statusCode(200);
    }

    @Test
    void aTemplateStoredByAnotherReplicaIsUsedOnceItsChangeEventIsApplied() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(brand));
        var tenant = tenantOf(brand);
        welcome(tenant, user).body("mail", containsString("Hello User"));

        // What another replica does when the brand's template is stored: the row, then the event.
        Db.update("INSERT INTO notification_templates (reseller_id, kind, locale, subject, text_body) VALUES (?, 'welcome', 'en', ?, ?)",
                brand.id(), "Hi {display_name}", "Stored elsewhere for {display_name}");
        String key = BrandTemplates.key(brand.id());
        InvalidationSignals.Signal applied = invalidations.next(key);
        Db.update("INSERT INTO credential_events (account_key) VALUES (?)", key);
        applied.await(WITHIN);
        welcome(tenant, user).body("mail", containsString("Stored elsewhere for User"));
    }

    @Test
    void aDefaultLocaleSetOnAnotherReplicaIsUsedOnceItsChangeEventIsApplied() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(brand));
        var tenant = tenantOf(brand);
        welcome(tenant, user);
        Db.update("INSERT INTO notification_brand_settings (reseller_id, default_locale) VALUES (?, 'de')", brand.id());
        String key = BrandTemplates.key(brand.id());
        InvalidationSignals.Signal applied = invalidations.next(key);
        Db.update("INSERT INTO credential_events (account_key) VALUES (?)", key);
        applied.await(WITHIN);
        welcome(tenant, user).body("mail", containsString("Hallo"));
    }

    @Test
    void aBrandsNewDisplayNameIsInTheNextMail() {
        ResellerRef brand = Fixtures.reseller();
        UserRef user = Fixtures.user(Fixtures.context(brand));
        var tenant = tenantOf(brand);
        welcome(tenant, user).body("mail", containsString("Reseller " + brand.name()));
        String renamed = "Renamed " + brand.name();
        Fixtures.asMaster().body(Map.of("displayName", renamed)).put("/oxaas/v1/admin/resellers/{id}", brand.id()).then().statusCode(200);
        welcome(tenant, user).body("mail", containsString(renamed));
    }

    @Test
    void aSubBrandRenamedOnAnotherReplicaIsNamedOnceItsChangeEventIsApplied() {
        ResellerRef top = Fixtures.reseller();
        ResellerRef sub = Fixtures.subReseller(top);
        UserRef user = Fixtures.user(Fixtures.context(sub));
        var tenant = tenantOf(top);
        welcome(tenant, user).body("mail", containsString("Reseller " + sub.name()));
        String renamed = "Elsewhere " + sub.name();
        Db.update("UPDATE resellers SET display_name = ?, version = version + 1 WHERE id = ?", renamed, sub.id());
        String key = CredentialKeys.brand(sub.id());
        InvalidationSignals.Signal applied = invalidations.next(key);
        Db.update("INSERT INTO credential_events (account_key) VALUES (?)", key);
        applied.await(WITHIN);
        welcome(tenant, user).body("mail", containsString(renamed)).body("mail", not(containsString("Reseller " + sub.name())));
    }
}
