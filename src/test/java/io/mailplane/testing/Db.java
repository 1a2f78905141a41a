package io.mailplane.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Direct reads of the test database, to check what the API left behind. Statements run in
 * autocommit on connections kept for reuse (per database URL): opening a Connector/J connection
 * costs more than most of the statements tests run on it.
 */
public final class Db {
    /** Idle connections by JDBC URL; a caller borrows one per statement and gives it back. */
    private static final Map<String, ConcurrentLinkedDeque<Connection>> IDLE = new ConcurrentHashMap<>();

    private Db() {
    }

    /** A connection of the test database, given back to the pool when closed. */
    private static Pooled connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        ConcurrentLinkedDeque<Connection> idle = IDLE.computeIfAbsent(url, u -> new ConcurrentLinkedDeque<>());
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            if (c.isValid(2)) {
                return new Pooled(c, idle);
            }
            c.close();
        }
        c = DriverManager.getConnection(url, config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        return new Pooled(c, idle);
    }

    /** A borrowed connection: closing it returns it to the idle ones (closed if it broke). */
    private record Pooled(Connection connection, ConcurrentLinkedDeque<Connection> idle) implements AutoCloseable {
        PreparedStatement prepareStatement(String sql) throws SQLException {
            return connection.prepareStatement(sql);
        }

        @Override
        public void close() throws SQLException {
            if (connection.getAutoCommit() && !connection.isClosed()) {
                idle.offerFirst(connection);
            } else {
                connection.close();
            }
        }
    }

    public static long count(String sql, Object... params) {
        try (Pooled c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(String sql, Object... params) {
        try (Pooled c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int update(String sql, Object... params) {
        try (Pooled c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
