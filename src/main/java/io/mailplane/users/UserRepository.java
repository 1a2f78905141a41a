package io.mailplane.users;

import io.mailplane.common.Paging;
import io.mailplane.users.UserDtos.UserView;
import io.quarkus.arc.NoClassInterceptors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.TreeSet;
import javax.sql.DataSource;
import io.mailplane.directory.MailUser;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every query of the users feature. Whole users are written (and read for writing) as {@link MailUser}
 * entities (JPQL), so Hibernate keeps their {@code @Version}; {@code GET} reads a user with one
 * plain JDBC statement ({@link #view}); one attribute is written with
 * native SQL that touches only its own column or rows, so concurrent writes of different
 * attributes all survive, and the user's version is then bumped through the entity
 * ({@link io.mailplane.common.RowLocks#bumpVersion}). The search is native SQL: a {@code UNION} of index ranges and the
 * recursive reseller tree, which JPQL cannot express. Row locks are taken by
 * {@link io.mailplane.common.RowLocks}, not here.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class UserRepository {
    /** The read of {@link #view}: the user's row and its aliases, one row per alias (one row without). */
    private static final String VIEW = "SELECT u.user_id, u.context_id, u.uidname, u.display_name, u.primary_email, u.quota_mb,"
            + " u.last_login_at, u.version, a.address, u.mail_enabled FROM users u LEFT JOIN user_aliases a ON a.user_pk = u.pk"
            + " WHERE u.context_id = ? AND u.user_id = ?";

    private final EntityManager em;
    private final DataSource dataSource;

    public UserRepository(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /** A user as {@code GET} answers it, and its version (the ETag). */
    public record Versioned(UserView view, int version) {
    }

    /**
     * The user as {@code GET} answers it; empty when the context has no such user. The warm read
     * path: one statement over plain JDBC, without a persistence context, an entity or a transaction
     * (a connection from the pool for the statement alone; inside a caller's transaction, that
     * transaction's). Reads the columns {@link #load} maps, so both answer alike.
     */
    @NoClassInterceptors
    public Optional<Versioned> view(long contextId, int userId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(VIEW)) {
            statement.setLong(1, contextId);
            statement.setInt(2, userId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                int id = rows.getInt(1);
                long context = rows.getLong(2);
                String uidname = rows.getString(3);
                String displayName = rows.getString(4);
                String primaryEmail = rows.getString(5);
                long quota = rows.getLong(6);
                Long quotaMb = rows.wasNull() ? null : quota;
                Timestamp lastLogin = rows.getTimestamp(7);
                int version = rows.getInt(8);
                boolean mailEnabled = rows.getBoolean(10);
                TreeSet<String> aliases = new TreeSet<>();
                do {
                    String alias = rows.getString(9);
                    if (alias != null) {
                        aliases.add(alias);
                    }
                } while (rows.next());
                return Optional.of(new Versioned(new UserView(id, context, uidname, displayName, primaryEmail,
                        List.copyOf(aliases), quotaMb, lastLogin == null ? null : lastLogin.toInstant(), mailEnabled), version));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading user " + userId + " of context " + contextId + " failed", e);
        }
    }

    /** The user with its aliases; empty when the context has no such user. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<MailUser> load(long contextId, int userId) {
        // No row limit: with a fetched collection Hibernate would apply it in memory (and warn each time).
        return em.createQuery("from MailUser u left join fetch u.aliases where u.contextId = ?1 and u.userId = ?2", MailUser.class)
                .setParameter(1, contextId).setParameter(2, userId)
                .getResultList().stream().findFirst();
    }

    /** The context as stored now (read after its row is locked, for its limits). */
    public TenantContext context(long contextId) {
        return em.find(TenantContext.class, contextId);
    }

    /** The users of the context in user-id order, one page. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MailUser> page(long contextId, Paging paging) {
        return em.createQuery("from MailUser u where u.contextId = ?1 order by u.userId", MailUser.class)
                .setParameter(1, contextId).setFirstResult(paging.offset()).setMaxResults(paging.limit())
                .getResultList();
    }

    /** The named users of the context, in user-id order; unknown names are left out. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MailUser> named(long contextId, List<String> uidnames) {
        return em.createQuery("from MailUser u where u.contextId = ?1 and u.uidname in ?2 order by u.userId", MailUser.class)
                .setParameter(1, contextId).setParameter(2, uidnames).getResultList();
    }

    /** Whether a user other than {@code exceptPk} ({@code null}: any user) has the login. */
    public boolean uidnameTaken(String uidname, Long exceptPk) {
        return em.createQuery("select count(u) from MailUser u where u.uidname = ?1 and u.pk <> ?2", Long.class)
                .setParameter(1, uidname).setParameter(2, exceptPk == null ? -1L : exceptPk).getSingleResult() > 0;
    }

    /** The next free user id of the context (the context's row is locked). */
    public int nextUserId(long contextId) {
        Integer max = em.createQuery("select max(u.userId) from MailUser u where u.contextId = ?1", Integer.class)
                .setParameter(1, contextId).getSingleResult();
        return max == null ? MailUser.FIRST_USER_ID : Math.max(max + 1, MailUser.FIRST_USER_ID);
    }

    /** Writes the new or changed user now (a new one gets its primary key; a changed one its next version). */
    public void save(MailUser u) {
        if (u.pk == null) {
            em.persist(u);
        }
        em.flush();
    }

    public void remove(MailUser u) {
        em.remove(u);
        em.flush();
    }

    /** Sets the column of a scalar attribute (the name comes from {@link Attribute}, never from a request). */
    public void setColumn(Attribute attribute, long pk, Object value) {
        em.createNativeQuery("UPDATE users SET " + attribute.column + " = ?1 WHERE pk = ?2")
                .setParameter(1, value).setParameter(2, pk).executeUpdate();
    }

    public void setMsisdn(long pk, String msisdn, String digits) {
        em.createNativeQuery("UPDATE users SET msisdn = ?1, msisdn_digits = ?2 WHERE pk = ?3")
                .setParameter(1, msisdn).setParameter(2, digits).setParameter(3, pk).executeUpdate();
    }

    public void replaceCustomIds(long pk, List<String> values) {
        replaceRows("user_custom_ids", "custom_id", pk, values);
    }

    public void replaceClassesOfService(long pk, List<String> values) {
        replaceRows("user_class_of_service", "cos", pk, values);
    }

    private void replaceRows(String table, String column, long pk, List<String> values) {
        em.createNativeQuery("DELETE FROM " + table + " WHERE user_pk = ?1").setParameter(1, pk).executeUpdate();
        for (String v : new LinkedHashSet<>(values)) {
            em.createNativeQuery("INSERT IGNORE INTO " + table + " (user_pk, " + column + ") VALUES (?1, ?2)")
                    .setParameter(1, pk).setParameter(2, v).executeUpdate();
        }
    }

    /** The user as stored now, after native writes to its row (the persistence context is cleared). */
    public MailUser reload(long pk) {
        em.flush();
        em.clear();
        return em.find(MailUser.class, pk);
    }

    /** Where a search looks: a query selecting {@code pk} of the users whose value matches. */
    public enum SearchColumn {
        UIDNAME("SELECT pk FROM users WHERE uidname"),
        MSISDN_DIGITS("SELECT pk FROM users WHERE msisdn_digits"),
        OXDELIVERYSTATUS("SELECT pk FROM users WHERE oxdeliverystatus"),
        CUSTOM_ID("SELECT user_pk AS pk FROM user_custom_ids WHERE custom_id"),
        PRIMARY_EMAIL("SELECT pk FROM users WHERE primary_email"),
        ALIAS("SELECT user_pk AS pk FROM user_aliases WHERE address");

        final String select;

        SearchColumn(String select) {
            this.select = select;
        }
    }

    /** One index range: the exact {@code value}, or with {@code like} a LIKE pattern (already escaped). */
    public record Match(SearchColumn column, String value, boolean like) {
    }

    /** Summaries of the users any of {@code matches} finds, within {@code resellerId}'s tree ({@code null}: all), in pk order. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserSummary> search(List<Match> matches, Long resellerId, Paging paging) {
        if (matches.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder();
        if (resellerId != null) {
            sql.append("WITH RECURSIVE tree (id) AS (SELECT id FROM resellers WHERE id = ").append(resellerId.longValue())
                    .append(" UNION ALL SELECT r.id FROM resellers r JOIN tree t ON r.parent_id = t.id) ");
        }
        sql.append("SELECT u.pk, u.context_id, u.user_id, u.uidname, u.msisdn, u.oxdeliverystatus, u.oxlegacyref,"
                        + " u.oxantiphishing, u.antivirus, u.spamlevel, u.quotamode FROM (")
                .append(String.join(" UNION ", matches.stream().map(m -> m.column().select + (m.like() ? " LIKE ?" : " = ?")).toList()))
                .append(") hit JOIN users u ON u.pk = hit.pk");
        if (resellerId != null) {
            sql.append(" JOIN contexts c ON c.id = u.context_id WHERE c.reseller_id IN (SELECT id FROM tree)");
        }
        sql.append(" ORDER BY u.pk LIMIT ").append(paging.limit()).append(" OFFSET ").append(paging.offset());
        Query query = em.createNativeQuery(sql.toString());
        for (int i = 0; i < matches.size(); i++) {
            query.setParameter(i + 1, matches.get(i).value());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<String>> custom = new HashMap<>();
        Map<Long, List<String>> classes = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> lists = em.createNativeQuery("SELECT user_pk, 'c', custom_id FROM user_custom_ids WHERE user_pk IN (?1)"
                        + " UNION ALL SELECT user_pk, 's', cos FROM user_class_of_service WHERE user_pk IN (?1) ORDER BY 3")
                .setParameter(1, rows.stream().map(r -> ((Number) r[0]).longValue()).toList())
                .getResultList();
        for (Object[] l : lists) {
            ("c".equals(String.valueOf(l[1])) ? custom : classes)
                    .computeIfAbsent(((Number) l[0]).longValue(), k -> new ArrayList<>()).add((String) l[2]);
        }
        return rows.stream().map(r -> {
            long pk = ((Number) r[0]).longValue();
            return new UserSummary(((Number) r[1]).longValue(), ((Number) r[2]).intValue(), (String) r[3], (String) r[4],
                    classes.get(pk), (String) r[5], (String) r[6], (String) r[7],
                    r[8] == null ? null : r[8] instanceof Boolean b ? b : ((Number) r[8]).intValue() != 0,
                    (String) r[9], (String) r[10], custom.get(pk));
        }).toList();
    }
}
