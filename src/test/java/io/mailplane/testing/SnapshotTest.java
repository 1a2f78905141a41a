package io.mailplane.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The "nothing changed" check itself: it sees every kind of change, and only changes. */
@QuarkusTest
class SnapshotTest {
    @Test
    void aSnapshotOfAnUntouchedDatabaseEqualsTheLastOne() {
        Fixtures.context();
        Snapshot before = Snapshot.take();
        assertEquals(before, Snapshot.take());
        before.assertUnchanged();
        Snapshot.assertUnchangedBy("a read", () -> Db.count("SELECT COUNT(*) FROM users"));
    }

    @Test
    void aChangedColumnAnAddedRowAndARemovedRowAreEachSeen() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);

        Snapshot before = Snapshot.take();
        Db.update("UPDATE users SET display_name = ? WHERE uidname = ?", "Changed " + user.name(), user.name());
        Snapshot changed = Snapshot.take();
        assertNotEquals(before, changed, "a changed column");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> before.assertUnchanged("the update"));
        assertTrue(failure.getMessage().startsWith("the update"), failure.getMessage());
        // the failure shows which table changed: the users line differs, the others do not
        assertTrue(changed.toString().lines().filter(line -> !before.toString().lines().toList().contains(line))
                .allMatch(line -> line.startsWith("users:")), changed.toString());

        Db.update("INSERT INTO user_class_of_service (user_pk, cos) SELECT pk, 'gold' FROM users WHERE uidname = ?", user.name());
        Snapshot added = Snapshot.take();
        assertNotEquals(changed, added, "an added row");
        Db.update("DELETE FROM user_class_of_service WHERE cos = 'gold' AND user_pk = (SELECT pk FROM users WHERE uidname = ?)", user.name());
        assertEquals(changed, Snapshot.take(), "the row removed again");
    }

    @Test
    void nullTheTextNullAndAnEmptyStringAreThreeStates() {
        UserRef user = Fixtures.user(Fixtures.context());
        Db.update("UPDATE users SET msisdn = NULL WHERE uidname = ?", user.name());
        Snapshot none = Snapshot.take();
        Db.update("UPDATE users SET msisdn = 'NULL' WHERE uidname = ?", user.name());
        Snapshot text = Snapshot.take();
        Db.update("UPDATE users SET msisdn = '' WHERE uidname = ?", user.name());
        Snapshot empty = Snapshot.take();
        assertNotEquals(none, text);
        assertNotEquals(none, empty);
        assertNotEquals(text, empty);
        assertThrows(AssertionFailedError.class, () -> Snapshot.assertUnchangedBy("a write",
                () -> Db.update("UPDATE users SET msisdn = NULL WHERE uidname = ?", user.name())));
    }

    /**
     * A snapshot taken while another transaction holds uncommitted changes must not be reused
     * after that commit: the commit moves no write counter, yet the tables differ.
     */
    @Test
    void aChangeCommittedAfterASnapshotWasTakenIsSeenByTheNextOne() throws Exception {
        UserRef user = Fixtures.user(Fixtures.context());
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""))) {
            c.setAutoCommit(false);
            try (var update = c.prepareStatement("UPDATE users SET display_name = ? WHERE uidname = ?")) {
                update.setString(1, "Later " + user.name());
                update.setString(2, user.name());
                assertEquals(1, update.executeUpdate());
            }
            Snapshot whileOpen = Snapshot.take();
            assertEquals(whileOpen, Snapshot.take(), "nothing committed yet");
            c.commit();
            assertNotEquals(whileOpen, Snapshot.take(), "the commit");
        }
    }
}
