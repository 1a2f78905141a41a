package io.mailplane.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * "Nothing changed": the one way tests prove that a refused (or idempotent) request left the
 * database as it found it. A snapshot is every table of the test database, each by its number of
 * rows and a digest of every column of every row, read in one query; two snapshots are equal
 * when no row was added, removed or changed in between.
 *
 * <pre>{@code
 * Snapshot before = Snapshot.take();
 * ... refused requests ...
 * before.assertUnchanged("a refused PUT");
 *
 * Snapshot.assertUnchangedBy("a refused PUT", () -> Fixtures.as(context).put(...).then().statusCode(409));
 * }</pre>
 *
 * <p>Whole tables are cheap to read because the test database starts empty on every run
 * ({@code src/test/resources/META-INF/microprofile-config.properties}). A failure shows one line
 * per table, so the table that changed is the line that differs.
 *
 * <p>Most snapshots are taken where nothing has been written since the last one (a run of refused
 * requests), so the last fingerprint is reused while the server's counters of row writes
 * ({@code Handler_write/update/delete}, which reads and internal temporary tables do not move)
 * and of transaction ends ({@code Com_commit/rollback}) stand still. It is kept only if they did
 * not move while it was read: a transaction that wrote before and commits after it moves
 * {@code Com_commit}, so its change is read at the next snapshot. (Only an autocommit statement
 * still running while the fingerprint is read escapes both; that could make a later comparison
 * fail, never pass.) Where the server does not tell these counters, every snapshot reads the tables.
 */
public final class Snapshot {
    /** Not state a request changes: Flyway's own bookkeeping. */
    private static final Set<String> IGNORED = Set.of("flyway_schema_history");
    /**
     * Not state a request changes either: the columns background workers update (the outbox worker
     * while it delivers queued mails; an operator's retry or cancel also sets {@code steered_at},
     * which is compared, and a queued mail adds a row, which is counted).
     */
    private static final Set<String> IGNORED_COLUMNS = Set.of("notification_outbox:status", "notification_outbox:attempts",
            "notification_outbox:next_attempt_at", "notification_outbox:claim_token", "notification_outbox:last_error",
            "notification_outbox:message_id", "notification_outbox:sent_at",
            // set in the background once Dovecot has a new shared mailbox's ACL (SharedMailboxAcls)
            "shared_accounts:mailbox_acl_at");
    /** The fingerprint query of each database (by JDBC URL): built once from the schema. */
    private static final Map<String, String> QUERIES = new ConcurrentHashMap<>();
    /** The last fingerprint known to be current, by JDBC URL, with the row counters it was read at. */
    private static final Map<String, Read> LAST = new ConcurrentHashMap<>();
    /** MariaDB's (MySQL 8 has no information_schema.global_status). */
    private static final String COUNTERS = "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME) FROM information_schema.global_status"
            + " WHERE VARIABLE_NAME IN ('HANDLER_WRITE', 'HANDLER_UPDATE', 'HANDLER_DELETE', 'COM_COMMIT', 'COM_ROLLBACK')";

    private record Read(String counters, String fingerprint) {
    }

    private final String fingerprint;

    private Snapshot(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    /** The database as it is now. */
    public static Snapshot take() {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String counters = counters();
        Read last = LAST.get(url);
        if (counters != null && last != null && last.counters().equals(counters)) {
            return new Snapshot(last.fingerprint());
        }
        String fingerprint = Db.string(QUERIES.computeIfAbsent(url, u -> query()));
        if (counters != null && counters.equals(counters())) {
            LAST.put(url, new Read(counters, fingerprint));
        } else {
            LAST.remove(url);
        }
        return new Snapshot(fingerprint);
    }

    /** The server's row-write counters, or null where the server does not tell them. */
    private static String counters() {
        try {
            return Db.string(COUNTERS);
        } catch (IllegalStateException unknown) {
            return null;
        }
    }

    /** Fails when the database is no longer as this snapshot found it. */
    public void assertUnchanged() {
        assertUnchanged("the database changed");
    }

    /** Fails, naming {@code what}, when the database is no longer as this snapshot found it. */
    public void assertUnchanged(String what) {
        assertEquals(fingerprint, take().fingerprint, what);
    }

    /** Runs {@code action} and fails, naming {@code what}, when it changed the database. */
    public static void assertUnchangedBy(String what, Runnable action) {
        Snapshot before = take();
        action.run();
        before.assertUnchanged(what);
    }

    /**
     * One line per table: {@code name: rows=N digest=D}, D the sum of the CRC32 of each row's
     * columns (QUOTE keeps NULL apart from the text 'NULL' and from an empty string).
     */
    private static String query() {
        String columns = Db.string("SELECT GROUP_CONCAT(CONCAT(table_name, ':', column_name)"
                + " ORDER BY table_name, ordinal_position SEPARATOR ',') FROM information_schema.columns"
                + " WHERE table_schema = DATABASE()");
        Map<String, StringBuilder> tables = new TreeMap<>();
        for (String column : columns.split(",")) {
            String[] parts = column.split(":", 2);
            if (!IGNORED.contains(parts[0]) && !IGNORED_COLUMNS.contains(column)) {
                tables.computeIfAbsent(parts[0], t -> new StringBuilder()).append(", QUOTE(`").append(parts[1]).append("`)");
            }
        }
        StringBuilder sql = new StringBuilder("SELECT CONCAT_WS('\\n'");
        tables.forEach((table, quoted) -> sql.append(", (SELECT CONCAT('").append(table)
                .append(": rows=', COUNT(*), ' digest=', COALESCE(SUM(CRC32(CONCAT_WS('|'").append(quoted)
                .append("))), 0)) FROM `").append(table).append("`)"));
        return sql.append(")").toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot s && s.fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return fingerprint;
    }
}
