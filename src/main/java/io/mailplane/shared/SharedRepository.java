package io.mailplane.shared;

import io.mailplane.directory.MailUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every query of the shared accounts feature (tables of V16), native SQL. The backing users are
 * read as {@link MailUser}s and written only through the users feature. Expired delegations
 * ({@code until <= CURRENT_TIMESTAMP(3)}) are left out of every read. Writes need the service's
 * transaction; row locks are {@code RowLocks}'.
 */
@ApplicationScoped
public class SharedRepository {
    /** A delegation that still holds. */
    private static final String CURRENT = "(d.until IS NULL OR d.until > CURRENT_TIMESTAMP(3))";
    private static final String ACCOUNT_COLUMNS = "s.id, s.context_id, s.user_pk, s.owner_pk, s.type, s.version, s.created_at,"
            + " u.user_id, u.primary_email, u.display_name, u.mail_enabled, u.version, o.user_id, o.uidname";
    private static final String ACCOUNT_FROM = " FROM shared_accounts s JOIN users u ON u.pk = s.user_pk JOIN users o ON o.pk = s.owner_pk";

    private final EntityManager em;

    public SharedRepository(EntityManager em) {
        this.em = em;
    }

    /** A shared account with what its views show of its backing user and owner. */
    record Row(long id, long contextId, long userPk, long ownerPk, String type, int version, Instant createdAt,
               int userId, String address, String displayName, boolean mailEnabled, int userVersion, int ownerId, String ownerLogin) {
        long etag() {
            return (long) version + userVersion;
        }
    }

    private static Row row(Object[] r) {
        return new Row(num(r[0]), num(r[1]), num(r[2]), num(r[3]), (String) r[4], (int) num(r[5]), instant(r[6]),
                (int) num(r[7]), (String) r[8], (String) r[9], bool(r[10]), (int) num(r[11]), (int) num(r[12]), (String) r[13]);
    }

    @SuppressWarnings("unchecked")
    private List<Row> rows(String where, Object... params) {
        jakarta.persistence.Query q = em.createNativeQuery("SELECT " + ACCOUNT_COLUMNS + ACCOUNT_FROM + " " + where);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return ((List<Object[]>) q.getResultList()).stream().map(SharedRepository::row).toList();
    }

    Optional<Row> byAddress(long contextId, String address) {
        return rows("WHERE s.context_id = ?1 AND u.primary_email = ?2", contextId, address).stream().findFirst();
    }

    Optional<Row> byId(long id) {
        return rows("WHERE s.id = ?1", id).stream().findFirst();
    }

    List<Row> page(long contextId, int offset, int limit) {
        return rows("WHERE s.context_id = ?1 ORDER BY s.id LIMIT " + limit + " OFFSET " + offset, contextId);
    }

    List<Row> ownedBy(long ownerPk) {
        return rows("WHERE s.owner_pk = ?1 ORDER BY s.id", ownerPk);
    }

    /** Whether the user backs a shared account. */
    boolean isSharedAccount(long userPk) {
        return count("SELECT COUNT(*) FROM shared_accounts WHERE user_pk = ?1", userPk) > 0;
    }

    long ownedCount(long ownerPk) {
        return count("SELECT COUNT(*) FROM shared_accounts WHERE owner_pk = ?1", ownerPk);
    }

    /** The user of the context with this id: its primary key and login. */
    record UserRef(long pk, int userId, String login) {
    }

    Optional<UserRef> user(long contextId, long userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT pk, user_id, uidname FROM users WHERE context_id = ?1 AND user_id = ?2")
                .setParameter(1, contextId).setParameter(2, userId).getResultList();
        return rows.stream().findFirst().map(r -> new UserRef(num(r[0]), (int) num(r[1]), (String) r[2]));
    }

    /** The group of the context with this id: its primary key and name. */
    record GroupRef(long pk, int groupId, String name) {
    }

    Optional<GroupRef> group(long contextId, long groupId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT pk, group_id, name FROM groups_ WHERE context_id = ?1 AND group_id = ?2")
                .setParameter(1, contextId).setParameter(2, groupId).getResultList();
        return rows.stream().findFirst().map(r -> new GroupRef(num(r[0]), (int) num(r[1]), (String) r[2]));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    long insert(long contextId, long userPk, long ownerPk, String type) {
        em.createNativeQuery("INSERT INTO shared_accounts (context_id, user_pk, owner_pk, type) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, contextId).setParameter(2, userPk).setParameter(3, ownerPk).setParameter(4, type).executeUpdate();
        return num(em.createNativeQuery("SELECT id FROM shared_accounts WHERE user_pk = ?1").setParameter(1, userPk).getSingleResult());
    }

    /** Changes the owner and/or type ({@code null}: keep) and moves the version on. */
    @Transactional(Transactional.TxType.MANDATORY)
    void update(long id, Long ownerPk, String type) {
        em.createNativeQuery("UPDATE shared_accounts SET owner_pk = COALESCE(?1, owner_pk), type = COALESCE(?2, type),"
                        + " version = version + 1 WHERE id = ?3")
                .setParameter(1, ownerPk).setParameter(2, type).setParameter(3, id).executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void delete(long id) {
        em.createNativeQuery("DELETE FROM shared_accounts WHERE id = ?1").setParameter(1, id).executeUpdate();
    }

    /** Where a delegation points: the user or group table. */
    enum Kind {
        USER("user", "shared_account_user_delegates", "user_pk"), GROUP("group", "shared_account_group_delegates", "group_pk");

        final String wire;
        final String table;
        final String column;

        Kind(String wire, String table, String column) {
            this.wire = wire;
            this.table = table;
            this.column = column;
        }
    }

    /** Sets (inserts or replaces) a delegation; whether one held before (an expired one does not). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean setDelegate(long accountId, Kind kind, long principalPk, int permissions, Instant until) {
        boolean existed = currentPermissions(accountId, kind, principalPk) != 0;
        em.createNativeQuery("INSERT INTO " + kind.table + " (account_id, " + kind.column + ", permissions, until) VALUES (?1, ?2, ?3, ?4)"
                        + " ON DUPLICATE KEY UPDATE permissions = VALUES(permissions), until = VALUES(until)")
                .setParameter(1, accountId).setParameter(2, principalPk).setParameter(3, permissions)
                .setParameter(4, until == null ? null : Timestamp.from(until)).executeUpdate();
        return existed;
    }

    /** Removes a delegation; whether a current one was removed (an expired one is removed too, but did not count). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean removeDelegate(long accountId, Kind kind, long principalPk) {
        boolean existed = currentPermissions(accountId, kind, principalPk) != 0;
        em.createNativeQuery("DELETE FROM " + kind.table + " WHERE account_id = ?1 AND " + kind.column + " = ?2")
                .setParameter(1, accountId).setParameter(2, principalPk).executeUpdate();
        return existed;
    }

    /** Deletes the account's expired delegations (they count as absent already; this only tidies up). */
    @Transactional(Transactional.TxType.MANDATORY)
    void pruneExpired(long accountId) {
        for (Kind kind : Kind.values()) {
            em.createNativeQuery("DELETE FROM " + kind.table + " WHERE account_id = ?1 AND until <= CURRENT_TIMESTAMP(3)")
                    .setParameter(1, accountId).executeUpdate();
        }
    }

    private int currentPermissions(long accountId, Kind kind, long principalPk) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT d.permissions FROM " + kind.table + " d WHERE d.account_id = ?1 AND d."
                        + kind.column + " = ?2 AND " + CURRENT)
                .setParameter(1, accountId).setParameter(2, principalPk).getResultList();
        return rows.isEmpty() ? 0 : (int) num(rows.get(0));
    }

    /** The current delegations of these accounts, users (by user id) then groups (by group id), per account. */
    Map<Long, List<SharedDtos.DelegateView>> delegates(Collection<Long> accountIds) {
        Map<Long, List<SharedDtos.DelegateView>> out = new HashMap<>();
        if (accountIds.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT d.account_id, 'user', x.user_id, x.uidname, d.permissions, d.until FROM shared_account_user_delegates d"
                                + " JOIN users x ON x.pk = d.user_pk WHERE d.account_id IN (?1) AND " + CURRENT
                                + " UNION ALL SELECT d.account_id, 'group', g.group_id, g.name, d.permissions, d.until FROM shared_account_group_delegates d"
                                + " JOIN groups_ g ON g.pk = d.group_pk WHERE d.account_id IN (?1) AND " + CURRENT
                                + " ORDER BY 1, 2 DESC, 3")
                .setParameter(1, accountIds).getResultList();
        for (Object[] r : rows) {
            out.computeIfAbsent(num(r[0]), k -> new ArrayList<>()).add(new SharedDtos.DelegateView((String) r[1], (int) num(r[2]),
                    (String) r[3], SharedDtos.Permission.names((int) num(r[4])), instant(r[5])));
        }
        return out;
    }

    /** A shared account the user may use and the union of its current permissions (its own and its groups' delegations). */
    record Delegated(long accountId, String address, String displayName, String type, String ownerLogin, int permissions) {
    }

    /** The user's effective permission bits on the account: its own and its groups' current delegations; 0 = none. */
    int effectivePermissions(long accountId, long userPk) {
        Object bits = em.createNativeQuery("SELECT BIT_OR(x.permissions) FROM ("
                        + "SELECT d.permissions FROM shared_account_user_delegates d WHERE d.account_id = ?1 AND d.user_pk = ?2 AND " + CURRENT
                        + " UNION ALL SELECT d.permissions FROM group_members gm JOIN shared_account_group_delegates d"
                        + " ON d.group_pk = gm.group_pk AND d.account_id = ?1 WHERE gm.user_pk = ?2 AND " + CURRENT + ") x")
                .setParameter(1, accountId).setParameter(2, userPk).getSingleResult();
        return bits == null ? 0 : (int) num(bits);
    }

    /** Every shared account the user may use, by address. */
    List<Delegated> delegatedTo(long userPk) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT s.id, u.primary_email, u.display_name, s.type, o.uidname, e.bits FROM ("
                        + "SELECT x.account_id, BIT_OR(x.permissions) AS bits FROM ("
                        + "SELECT d.account_id, d.permissions FROM shared_account_user_delegates d WHERE d.user_pk = ?1 AND " + CURRENT
                        + " UNION ALL SELECT d.account_id, d.permissions FROM group_members gm JOIN shared_account_group_delegates d"
                        + " ON d.group_pk = gm.group_pk WHERE gm.user_pk = ?1 AND " + CURRENT
                        + ") x GROUP BY x.account_id) e JOIN shared_accounts s ON s.id = e.account_id"
                        + " JOIN users u ON u.pk = s.user_pk JOIN users o ON o.pk = s.owner_pk ORDER BY u.primary_email")
                .setParameter(1, userPk).getResultList();
        return rows.stream().map(r -> new Delegated(num(r[0]), (String) r[1], (String) r[2], (String) r[3], (String) r[4], (int) num(r[5])))
                .toList();
    }

    private long count(String sql, Object param) {
        return num(em.createNativeQuery(sql).setParameter(1, param).getSingleResult());
    }

    static long num(Object o) {
        return ((Number) o).longValue();
    }

    static boolean bool(Object o) {
        return o instanceof Boolean b ? b : ((Number) o).intValue() != 0;
    }

    static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return (Instant) o;
    }

    // --- the shared mailboxes' IMAP ACLs (SharedMailboxAcls) -----------------------------------

    /** A shared account with mail whose mailbox has no ACL for its readers' group yet. */
    record PendingAcl(long accountId, String mailbox) {
    }

    /** At most {@code limit} shared accounts with mail whose mailbox ACL is not set, oldest first. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<PendingAcl> pendingAcls(int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT s.id, u.mail_username FROM shared_accounts s JOIN users u ON u.pk = s.user_pk"
                        + " WHERE s.mailbox_acl_at IS NULL AND u.mail_enabled ORDER BY s.id LIMIT ?1")
                .setParameter(1, limit).getResultList();
        return rows.stream().map(r -> new PendingAcl(((Number) r[0]).longValue(), (String) r[1])).toList();
    }

    /** Records that the account's mailbox ACL is set. */
    @Transactional(Transactional.TxType.MANDATORY)
    void aclSet(long accountId) {
        em.createNativeQuery("UPDATE shared_accounts SET mailbox_acl_at = CURRENT_TIMESTAMP(3) WHERE id = ?1 AND mailbox_acl_at IS NULL")
                .setParameter(1, accountId).executeUpdate();
    }
}
