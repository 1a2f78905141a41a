package io.mailplane.security;

import io.mailplane.directory.CredentialKeys;

import static io.mailplane.testing.Fixtures.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Verified credentials are cached; a change published by another replica (a row in
 * credential_events, the password hash changed underneath) is honoured within seconds.
 */
@QuarkusTest
class CredentialCacheTest {
    @Inject
    Passwords passwords;

    @Test
    void aPasswordChangedOnAnotherReplicaIsRefusedWithinSeconds() throws InterruptedException {
        ContextRef context = Fixtures.context();
        String path = "/oxaas/v1/admin/contexts/" + context.id();
        as(context).get(path).then().statusCode(200);

        String newPassword = Fixtures.secret();
        // What another replica does when the admin password changes: new hash, then an event.
        Db.update("UPDATE contexts SET admin_password_hash = ? WHERE id = ?", passwords.hash(newPassword), context.id());
        // The warm path does not look at the hash: the cached verification still admits the old password.
        as(context).get(path).then().statusCode(200);

        Db.update("INSERT INTO credential_events (account_key) VALUES (?)", CredentialKeys.contextAdmin(context.id()));
        long deadline = System.currentTimeMillis() + 5_000;
        int status = 200;
        while (status == 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            status = as(context).get(path).statusCode();
        }
        assertEquals(401, status, "old password still accepted 5 s after the change event");
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
