package io.mailplane.forwards;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * One page of the context's aliases with their recipients, in alias order. A context may hold
     * tens of thousands of rows here, so they are streamed straight from JDBC into the answer's map,
     * without building a row array or entity per recipient first.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<String>> page(long contextId, int limit, int offset) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT f.alias, r.recipient FROM (SELECT id, alias "
                     + "FROM forwards WHERE context_id = ? ORDER BY alias LIMIT ? OFFSET ?) f "
                     + "LEFT JOIN forward_recipients r ON r.forward_id = f.id ORDER BY f.alias, r.recipient")) {
            statement.setLong(1, contextId);
            statement.setInt(2, limit);
            statement.setInt(3, offset);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    List<String> recipients = all.computeIfAbsent(rows.getString(1), k -> new ArrayList<>());
                    String recipient = rows.getString(2);
                    if (recipient != null) {
                        recipients.add(recipient);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the forwards of context " + contextId + " failed", e);
        }
        return all;
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
