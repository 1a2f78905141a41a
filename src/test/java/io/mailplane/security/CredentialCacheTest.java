package io.mailplane.security;

import io.mailplane.directory.CredentialKeys;

import static io.mailplane.testing.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.InvalidationSignals;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Verified credentials are cached; a change published by another replica (a row in
 * credential_events, the password hash changed underneath) is honoured within seconds: as soon
 * as this replica's poll has applied the event ({@link InvalidationSignals} says when).
 */
@QuarkusTest
class CredentialCacheTest {
    /** One poll period is a second; five are plenty on a loaded machine. */
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Inject
    Passwords passwords;
    @Inject
    InvalidationSignals invalidations;

    @Test
    void aPasswordChangedOnAnotherReplicaIsRefusedWithinSeconds() {
        ContextRef context = Fixtures.context();
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        as(context).get(path).then().statusCode(200);

        String newPassword = Fixtures.secret();
        // What another replica does when the admin password changes: new hash, then an event.
        Db.update("UPDATE contexts SET admin_password_hash = ? WHERE id = ?", passwords.hash(newPassword), context.id());
        // The warm path does not look at the hash: the cached verification still admits the old password.
        as(context).get(path).then().statusCode(200);

        String key = CredentialKeys.contextAdmin(context.id());
        InvalidationSignals.Signal applied = invalidations.next(key);
        Db.update("INSERT INTO credential_events (account_key) VALUES (?)", key);
        applied.await(WITHIN);
        Response old = as(context).get(path);
        assertEquals(401, old.statusCode(), "old password still accepted once the change event was applied: " + old.asString());
        as(context.adminLogin(), newPassword).get(path).then().statusCode(200);
    }

    @Test
    void aFailedLoginIsNotCached() {
        ContextRef context = Fixtures.context();
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        String later = Fixtures.secret();
        as(context.adminLogin(), later).get(path).then().statusCode(401);
        Db.update("UPDATE contexts SET admin_password_hash = ? WHERE id = ?", passwords.hash(later), context.id());
        as(context.adminLogin(), later).get(path).then().statusCode(200);
    }

    @Test
    void aDeletedUserIsRefusedAtOnce() {
        ContextRef context = Fixtures.context();
        Fixtures.UserRef user = Fixtures.user(context);
        String path = "/oxaas/v1/admin/contexts/" + context.id() + "/users/" + user.id();
        // A user may not call the admin API (403), which still shows the credentials were accepted.
        Fixtures.as(user).get(path).then().statusCode(403);
        Fixtures.as(context).delete(path).then().statusCode(204);
        Fixtures.as(user).get(path).then().statusCode(401);
    }
}
