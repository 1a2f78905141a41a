package io.mailplane.forwards;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Every query of the forwards feature, in native SQL: an alias is a row of {@code forwards}
 * and its recipients rows of {@code forward_recipients}, written with {@code INSERT IGNORE}
 * so that the keys settle races, and there is no entity to keep in step. The listing of a
 * whole context is plain JDBC (see {@link #page}). Row locks on aliases are taken by
 * {@link io.mailplane.common.RowLocks}, not here.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ForwardRepository {
    private final EntityManager em;
    private final DataSource dataSource;

    public ForwardRepository(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** The alias's id if this context has it (no lock); another context's alias is simply absent here. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> idInContext(long contextId, String alias) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT id FROM forwards WHERE context_id = ?1 AND alias = ?2")
                .setParameter(1, contextId).setParameter(2, alias).getResultList();
        return ids.stream().findFirst().map(Number::longValue);
    }

    /** Receives the rows of {@link #page}, one alias/recipient pair at a time. */
    @FunctionalInterface
    public interface PageRows {
        /** {@code recipient} is null for an alias without recipients. */
        void row(String alias, String recipient) throws IOException;
    }

    /**
     * One page of the context's aliases with their recipients, in alias order and each alias's
     * recipients in order, handed to {@code rows} as they come from the driver (no list or map of
     * the page is built). The page is cut by keyset bounds — the aliases at positions
     * {@code offset} and {@code offset + limit} of the context's index — so the database reads
     * {@code ix_forwards_context} in order and joins each alias's recipients through the primary
     * key {@code (forward_id, recipient)}: the rows arrive sorted without a temporary table or a
     * filesort (the earlier {@code ORDER BY f.alias, r.recipient} over a derived page sorted all
     * rows first, most of the listing's time). The bounds are a one-row derived table (a constant to
     * the optimiser: each bound is looked up once, and the aliases are read as an index range);
     * the {@code LEFT JOIN} keeps the join order (aliases, then their recipients), and the
     * primary-key lookup returns one alias's recipients in key order, which is the column's
     * collation — the order {@link #recipients} answers with {@code ORDER BY}.
     * The connection is held until {@code rows} has seen the last row.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void page(long contextId, int limit, int offset, PageRows rows) throws IOException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT f.alias, r.recipient FROM (SELECT "
                     + "(SELECT alias FROM forwards WHERE context_id = ? ORDER BY alias LIMIT 1 OFFSET ?) AS first_alias, "
                     + "(SELECT alias FROM forwards WHERE context_id = ? ORDER BY alias LIMIT 1 OFFSET ?) AS end_alias) page "
                     + "JOIN forwards f ON f.context_id = ? AND f.alias >= page.first_alias "
                     + "AND (page.end_alias IS NULL OR f.alias < page.end_alias) "
                     + "LEFT JOIN forward_recipients r ON r.forward_id = f.id ORDER BY f.alias")) {
            statement.setLong(1, contextId);
            statement.setInt(2, offset);
            statement.setLong(3, contextId);
            statement.setLong(4, (long) offset + limit);
            statement.setLong(5, contextId);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.row(result.getString(1), result.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the forwards of context " + contextId + " failed", e);
        }
    }

    /** The alias's recipients, sorted. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> recipients(long forwardId) {
        @SuppressWarnings("unchecked")
        List<String> recipients = em.createNativeQuery("SELECT recipient FROM forward_recipients WHERE forward_id = ?1 ORDER BY recipient")
                .setParameter(1, forwardId).getResultList();
        return recipients;
    }

    public long countInContext(long contextId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM forwards WHERE context_id = ?1")
                .setParameter(1, contextId).getSingleResult()).longValue();
    }

    /** Inserts the alias into the context; its new id, or empty when the alias exists already (anywhere). */
    public Optional<Long> insert(long contextId, String alias) {
        if (em.createNativeQuery("INSERT IGNORE INTO forwards (context_id, alias) VALUES (?1, ?2)")
                .setParameter(1, contextId).setParameter(2, alias).executeUpdate() == 0) {
            return Optional.empty();
        }
        return Optional.of(((Number) em.createNativeQuery("SELECT LAST_INSERT_ID()").getSingleResult()).longValue());
    }

    public void addRecipients(long forwardId, List<String> recipients) {
        for (String r : recipients) {
            em.createNativeQuery("INSERT IGNORE INTO forward_recipients (forward_id, recipient) VALUES (?1, ?2)")
                    .setParameter(1, forwardId).setParameter(2, r).executeUpdate();
        }
    }

    public void removeAllRecipients(long forwardId) {
        em.createNativeQuery("DELETE FROM forward_recipients WHERE forward_id = ?1").setParameter(1, forwardId).executeUpdate();
    }

    /** Removes one recipient; false when the alias did not have it. */
    public boolean removeRecipient(long forwardId, String recipient) {
        return em.createNativeQuery("DELETE FROM forward_recipients WHERE forward_id = ?1 AND recipient = ?2")
                .setParameter(1, forwardId).setParameter(2, recipient).executeUpdate() > 0;
    }

    /** Deletes the context's alias (its recipients and its address go with it); false when there was none. */
    public boolean deleteAlias(long contextId, String alias) {
        return em.createNativeQuery("DELETE FROM forwards WHERE context_id = ?1 AND alias = ?2")
                .setParameter(1, contextId).setParameter(2, alias).executeUpdate() > 0;
    }

    public void deleteById(long forwardId) {
        em.createNativeQuery("DELETE FROM forwards WHERE id = ?1").setParameter(1, forwardId).executeUpdate();
    }

    /** Deletes every alias of the context; how many there were. */
    public int deleteAll(long contextId) {
        return em.createNativeQuery("DELETE FROM forwards WHERE context_id = ?1").setParameter(1, contextId).executeUpdate();
    }
}
