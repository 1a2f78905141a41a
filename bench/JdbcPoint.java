import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The database's own ceiling for the warm authenticated GET of a user: the point select of the same
 * user row that {@code UserRepository} runs for {@code GET .../contexts/{cid}/users/{uid}}, with the
 * service's Connector/J settings (every {@code quarkus.datasource.jdbc.additional-jdbc-properties.*}
 * and the isolation level of {@code application.properties}) and one connection per thread (the
 * service's pool holds up to 32). Each thread loops prepare-execute-read (client-side prepared
 * statements, cached by the driver, as in the service). Prints queries/s and p50/p99/max latency
 * in the wrk-like format that bench/ratio.sh reads.
 *
 *   java -cp target/quarkus-app/lib/main/com.mysql.mysql-connector-j-*.jar bench/JdbcPoint.java \
 *       jdbc:mysql://127.0.0.1:3306/DB CONTEXT_ID USER_ID [threads=32] [seconds=20] [warm-up seconds=5]
 */
public class JdbcPoint {
    static final String SQL = "SELECT u.pk, u.context_id, u.user_id, u.uidname, u.display_name, u.primary_email, u.quota_mb,"
            + " u.last_login_at, u.version, a.address FROM users u LEFT JOIN user_aliases a ON a.user_pk = u.pk"
            + " WHERE u.context_id = ? AND u.user_id = ?";
    private static final String PREFIX = "quarkus.datasource.jdbc.additional-jdbc-properties.";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long contextId = Long.parseLong(args[1]);
        int userId = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        long seconds = args.length > 4 ? Long.parseLong(args[4]) : 20;
        long warmup = args.length > 5 ? Long.parseLong(args[5]) : 5;

        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            settings.load(in);
        }
        Properties driver = new Properties();
        driver.setProperty("user", System.getenv().getOrDefault("DB_USER", "root"));
        driver.setProperty("password", System.getenv().getOrDefault("DB_PASSWORD", ""));
        for (String name : settings.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                driver.setProperty(name.substring(PREFIX.length()), settings.getProperty(name));
            }
        }
        boolean readCommitted = "read-committed".equals(settings.getProperty("quarkus.datasource.jdbc.transaction-isolation-level"));

        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Connection c = DriverManager.getConnection(url, driver);
            if (readCommitted) {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            c.setAutoCommit(true);
            connections.add(c);
        }
        // sanity: the row exists
        if (query(connections.get(0), contextId, userId) == 0) {
            throw new IllegalStateException("no user " + userId + " in context " + contextId);
        }
        run(connections, contextId, userId, warmup, false);
        run(connections, contextId, userId, seconds, true);
        for (Connection c : connections) {
            c.close();
        }
    }

    static int query(Connection c, long contextId, int userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setLong(1, contextId);
            ps.setInt(2, userId);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(1);
                    rs.getLong(2);
                    rs.getInt(3);
                    rs.getString(4);
                    rs.getString(5);
                    rs.getString(6);
                    rs.getObject(7);
                    rs.getTimestamp(8);
                    rs.getInt(9);
                    rs.getString(10);
                    rows++;
                }
            }
            return rows;
        }
    }

    /** Latencies of one thread, in nanoseconds. */
    static final class Samples {
        long[] values = new long[1 << 16];
        int size;
        long errors;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    static void run(List<Connection> connections, long contextId, int userId, long seconds, boolean print) throws Exception {
        int threads = connections.size();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        Samples[] samples = new Samples[threads];
        for (int t = 0; t < threads; t++) {
            Samples mine = samples[t] = new Samples();
            Connection c = connections.get(t);
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    while (!stop.get()) {
                        long begin = System.nanoTime();
                        try {
                            query(c, contextId, userId);
                        } catch (SQLException e) {
                            mine.errors++;
                        }
                        mine.add(System.nanoTime() - begin);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "jdbc-" + t);
            worker.start();
        }
        long begin = System.nanoTime();
        start.countDown();
        Thread.sleep(seconds * 1000);
        stop.set(true);
        done.await();
        double elapsed = (System.nanoTime() - begin) / 1e9;
        if (!print) {
            return;
        }
        int total = 0;
        long errors = 0;
        for (Samples s : samples) {
            total += s.size;
            errors += s.errors;
        }
        long[] all = new long[total];
        int at = 0;
        for (Samples s : samples) {
            System.arraycopy(s.values, 0, all, at, s.size);
            at += s.size;
        }
        Arrays.sort(all);
        System.out.printf("threads=%d seconds=%.1f queries=%d errors=%d%n", threads, elapsed, total, errors);
        System.out.printf("Requests/sec: %.2f%n", total / elapsed);
        System.out.printf("50%% %s%n", ms(all[(int) (total * 0.50)]));
        System.out.printf("99%% %s%n", ms(all[Math.min(total - 1, (int) (total * 0.99))]));
        System.out.printf("max %s%n", ms(all[total - 1]));
    }

    static String ms(long nanos) {
        return String.format("%.2fms", nanos / 1e6);
    }
}
