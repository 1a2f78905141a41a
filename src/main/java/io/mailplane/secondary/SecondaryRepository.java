package io.mailplane.secondary;

import io.mailplane.secondary.SecondaryAccount.Server;
import io.mailplane.secondary.SecondaryAccount.Targets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL of secondary accounts (table {@code secondary_accounts}, one row per holder). Native,
 * set-based statements: a grant to group 0 is one {@code INSERT ... SELECT} over the context's users,
 * an update or a revoke one statement over the targeted holders. Writes need the service's
 * transaction; row locks are {@code RowLocks}'.
 */
@ApplicationScoped
public class SecondaryRepository {
    static final String COLUMNS = "name, personal, reply_to, login, secret, mail_source, mail_server, mail_port, mail_protocol,"
            + " mail_secure, mail_starttls, transport_source, transport_server, transport_port, transport_protocol,"
            + " transport_secure, transport_starttls, folder_drafts, folder_sent, folder_spam, folder_trash, folder_archive";
    private static final String[] NAMES = COLUMNS.replace(" ", "").split(",");

    private final EntityManager em;

    public SecondaryRepository(EntityManager em) {
        this.em = em;
    }

    /** The properties of the address's entry with the lowest user id, if the context has the address. */
    public Optional<SecondaryAccount> any(long contextId, String address) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT account_id, " + COLUMNS + " FROM secondary_accounts"
                        + " WHERE context_id = ?1 AND primary_address = ?2 ORDER BY user_id LIMIT 1")
                .setParameter(1, contextId).setParameter(2, address).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        Server mail = new Server((String) r[6], (String) r[7], num(r[8]), (String) r[9], bool(r[10]), bool(r[11]));
        Server transport = r[12] == null ? null
                : new Server((String) r[12], (String) r[13], num(r[14]), (String) r[15], bool(r[16]), bool(r[17]));
        return Optional.of(new SecondaryAccount(num(r[0]), (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                mail, transport, new SecondaryDtos.SecondaryFolders((String) r[18], (String) r[19], (String) r[20], (String) r[21], (String) r[22])));
    }

    /** The account id a new address gets: one more than the context's highest (call with the context locked). */
    @Transactional(Transactional.TxType.MANDATORY)
    public int nextAccountId(long contextId) {
        Object max = em.createNativeQuery("SELECT MAX(account_id) FROM secondary_accounts WHERE context_id = ?1")
                .setParameter(1, contextId).getSingleResult();
        return max == null ? 1 : num(max) + 1;
    }

    /** How many of these user ids are users of the context. */
    public int countUsers(long contextId, Collection<Integer> userIds) {
        return num(em.createNativeQuery("SELECT COUNT(*) FROM users WHERE context_id = :ctx AND user_id IN (:ids)")
                .setParameter("ctx", contextId).setParameter("ids", userIds).getSingleResult());
    }

    /** The group ids among these that are groups of the context. */
    public List<Integer> existingGroups(long contextId, Collection<Integer> groupIds) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT group_id FROM groups_ WHERE context_id = :ctx AND group_id IN (:ids)")
                .setParameter("ctx", contextId).setParameter("ids", groupIds).getResultList();
        return rows.stream().map(SecondaryRepository::num).toList();
    }

    /** The users the targets name now (groups resolved to their members at this moment). */
    public int countTargets(long contextId, Targets targets) {
        return num(bind(em.createNativeQuery("SELECT COUNT(*) FROM users u WHERE " + who(targets)), contextId, targets)
                .getSingleResult());
    }

    /** The targeted users that hold the address already. */
    public int countHolders(long contextId, String address, Targets targets) {
        return num(bind(em.createNativeQuery("SELECT COUNT(*) FROM secondary_accounts s WHERE s.context_id = :ctx"
                + " AND s.primary_address = :addr AND s.user_id IN (SELECT u.user_id FROM users u WHERE " + who(targets) + ")"),
                contextId, targets).setParameter("addr", address).getSingleResult());
    }

    /**
     * Grants the address to every targeted user in one statement; a user who holds it already has
     * the entry's properties replaced. Rows written (MySQL counts an updated row twice).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int grant(long contextId, String address, SecondaryAccount a, Targets targets) {
        StringBuilder update = new StringBuilder();
        for (String n : NAMES) {
            update.append(update.isEmpty() ? "" : ", ").append(n).append(" = :").append(n);
        }
        String sql = "INSERT INTO secondary_accounts (context_id, user_pk, user_id, account_id, primary_address, " + COLUMNS + ")"
                + " SELECT u.context_id, u.pk, u.user_id, :account, :addr, :" + String.join(", :", NAMES)
                + " FROM users u WHERE " + who(targets)
                + " ON DUPLICATE KEY UPDATE " + update + ", account_id = :account, updated_at = CURRENT_TIMESTAMP(3)";
        Query q = bind(em.createNativeQuery(sql), contextId, targets).setParameter("account", a.accountId()).setParameter("addr", address);
        values(a).forEach(q::setParameter);
        return q.executeUpdate();
    }

    /** Sets these columns on the targeted holders' entries (all holders when {@code targets} is null); entries changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int update(long contextId, String address, Map<String, Object> columns, Targets targets) {
        StringBuilder set = new StringBuilder();
        columns.keySet().forEach(n -> set.append(n).append(" = :").append(n).append(", "));
        String sql = "UPDATE secondary_accounts s SET " + set + "updated_at = CURRENT_TIMESTAMP(3)"
                + " WHERE s.context_id = :ctx AND s.primary_address = :addr"
                + (targets == null ? "" : " AND s.user_id IN (SELECT u.user_id FROM users u WHERE " + who(targets) + ")");
        Query q = em.createNativeQuery(sql).setParameter("ctx", contextId).setParameter("addr", address);
        if (targets != null) {
            bind(q, contextId, targets);
        }
        columns.forEach(q::setParameter);
        return q.executeUpdate();
    }

    /** Removes the address from the targeted users; entries removed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revoke(long contextId, String address, Targets targets) {
        return bind(em.createNativeQuery("DELETE FROM secondary_accounts WHERE context_id = :ctx AND primary_address = :addr"
                        + (targets.everyone() ? "" : " AND user_id IN (SELECT u.user_id FROM users u WHERE " + who(targets) + ")")),
                contextId, targets).setParameter("addr", address).executeUpdate();
    }

    /**
     * Entries of the context by address and user id, optionally of one address or one user;
     * {@code limit} 0 = all. Columns: user_id, account_id, primary_address, name, personal, reply_to,
     * login, mail protocol/secure/server/port, transport protocol/secure/server/port, five folders.
     */
    public List<Object[]> list(long contextId, String address, Integer userId, int offset, int limit) {
        String sql = "SELECT user_id, account_id, primary_address, name, personal, reply_to, login,"
                + " mail_protocol, mail_secure, mail_server, mail_port,"
                + " transport_protocol, transport_secure, transport_server, transport_port,"
                + " folder_drafts, folder_sent, folder_spam, folder_trash, folder_archive"
                + " FROM secondary_accounts WHERE context_id = :ctx"
                + (address == null ? "" : " AND primary_address = :addr")
                + (userId == null ? "" : " AND user_id = :uid")
                + " ORDER BY primary_address, user_id";
        Query q = em.createNativeQuery(sql).setParameter("ctx", contextId);
        if (address != null) {
            q.setParameter("addr", address);
        }
        if (userId != null) {
            q.setParameter("uid", userId);
        }
        if (limit > 0) {
            q.setFirstResult(offset).setMaxResults(limit);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows;
    }

    /** The column values of an account's properties, by column name. */
    static Map<String, Object> values(SecondaryAccount a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", a.name());
        v.put("personal", a.personal());
        v.put("reply_to", a.replyTo());
        v.put("login", a.login());
        v.put("secret", a.secret());
        v.putAll(server("mail", a.mail()));
        v.putAll(server("transport", a.transport()));
        v.putAll(folders(a.folders()));
        return v;
    }

    static Map<String, Object> server(String prefix, Server s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(prefix + "_source", s == null ? null : s.source());
        v.put(prefix + "_server", s == null ? null : s.server());
        v.put(prefix + "_port", s == null ? null : s.port());
        v.put(prefix + "_protocol", s == null ? null : s.protocol());
        v.put(prefix + "_secure", s == null ? null : s.secure());
        v.put(prefix + "_starttls", s == null ? null : s.starttls());
        return v;
    }

    static Map<String, Object> folders(SecondaryDtos.SecondaryFolders f) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("folder_drafts", f == null ? null : f.drafts());
        v.put("folder_sent", f == null ? null : f.sent());
        v.put("folder_spam", f == null ? null : f.spam());
        v.put("folder_trash", f == null ? null : f.trash());
        v.put("folder_archive", f == null ? null : f.archive());
        return v;
    }

    /** The users (alias {@code u}) the targets name, with {@code :ctx}, {@code :tu} and {@code :tg}. */
    private static String who(Targets t) {
        if (t.everyone()) {
            return "u.context_id = :ctx";
        }
        List<String> any = new ArrayList<>();
        if (!t.users().isEmpty()) {
            any.add("u.user_id IN (:tu)");
        }
        if (!t.groups().isEmpty()) {
            any.add("u.pk IN (SELECT gm.user_pk FROM group_members gm JOIN groups_ g ON g.pk = gm.group_pk"
                    + " WHERE g.context_id = :ctx AND g.group_id IN (:tg))");
        }
        return "u.context_id = :ctx AND (" + String.join(" OR ", any) + ")";
    }

    private static Query bind(Query q, long contextId, Targets t) {
        q.setParameter("ctx", contextId);
        if (!t.everyone() && !t.users().isEmpty()) {
            q.setParameter("tu", t.users());
        }
        if (!t.everyone() && !t.groups().isEmpty()) {
            q.setParameter("tg", t.groups());
        }
        return q;
    }

    static int num(Object o) {
        return ((Number) o).intValue();
    }

    static boolean bool(Object o) {
        return o instanceof Boolean b ? b : ((Number) o).intValue() != 0;
    }
}
