package io.mailplane.outbox;

import io.mailplane.common.Paging;
import io.mailplane.common.RowLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.hibernate.Session;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the notification outbox (table {@code notification_outbox}). Native SQL: the worker's
 * claim and outcome are set-based updates guarded by the claim token, and every time is the
 * database's clock ({@code CURRENT_TIMESTAMP(3)}), so replicas with skewed clocks agree on what is due.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class OutboxRepository {
    private static final String COLUMNS = "id, reseller_id, context_id, user_id, kind, recipient, sender, subject, text_body, "
            + "html_body, status, attempts, next_attempt_at, last_error, message_id, created_at, sent_at";

    private final EntityManager em;
    private final RowLocks locks;

    public OutboxRepository(EntityManager em, RowLocks locks) {
        this.em = em;
        this.locks = locks;
    }

    private static final String INSERT = "INSERT INTO notification_outbox (reseller_id, context_id, user_id, kind, recipient, sender,"
            + " subject, text_body, html_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Writes a queued row, due now; its id. One round trip: the id comes back with the insert's
     * answer (JDBC generated keys) on the transaction's connection, not from a second
     * {@code SELECT LAST_INSERT_ID()}. The row refers to nothing the session could hold unwritten
     * (resellers get their ids, IDENTITY, by being inserted), so the session is not flushed first.
     */
    public long insert(OutgoingMail m) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
                setLong(insert, 1, m.resellerId());
                setLong(insert, 2, m.contextId());
                if (m.userId() == null) {
                    insert.setNull(3, Types.INTEGER);
                } else {
                    insert.setInt(3, m.userId());
                }
                insert.setString(4, m.kind());
                insert.setString(5, m.to());
                insert.setString(6, m.from());
                insert.setString(7, m.subject());
                insert.setString(8, m.text());
                insert.setString(9, m.html());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no id for the outbox row");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    /** A claimed row: what the worker needs to send it. */
    public record Claimed(long id, Long resellerId, String recipient, String sender, String subject, String text,
                          String html, String messageId, int attempts) {
    }

    /**
     * Claims up to {@code limit} due rows for {@code lease} under {@code token}: they become
     * {@code sending} until the lease ends, with one more attempt counted. Rows other workers are
     * claiming at this moment are skipped, never waited for.
     */
    public List<Claimed> claim(int limit, Duration lease, String token) {
        List<Long> ids = locks.dueOutboxRows(limit);
        if (ids.isEmpty()) {
            return List.of();
        }
        em.createNativeQuery("UPDATE notification_outbox SET status = 'sending', attempts = attempts + 1, claim_token = ?1, "
                        + "next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ?2 MICROSECOND WHERE id IN (?3)")
                .setParameter(1, token).setParameter(2, lease.toNanos() / 1000).setParameter(3, ids).executeUpdate();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, reseller_id, recipient, sender, subject, text_body, html_body, "
                + "message_id, attempts FROM notification_outbox WHERE id IN (?1) ORDER BY id").setParameter(1, ids).getResultList();
        return rows.stream().map(r -> new Claimed(num(r[0]), r[1] == null ? null : num(r[1]), (String) r[2], (String) r[3],
                (String) r[4], (String) r[5], (String) r[6], (String) r[7], (int) num(r[8]))).toList();
    }

    /** Gives rows of this claim that have none their Message-ID: {@code <outbox-ID.TOKEN@domain>}, kept for every later attempt. */
    public void assignMessageIds(Collection<Long> ids, String token, String domain) {
        em.createNativeQuery("UPDATE notification_outbox SET message_id = CONCAT('<outbox-', id, '.', ?1, '@', ?2, '>') "
                        + "WHERE id IN (?3) AND message_id IS NULL AND claim_token = ?1")
                .setParameter(1, token).setParameter(2, domain).setParameter(3, ids).executeUpdate();
    }

    /** Records these rows of the claim as sent (rows an operator or another worker took over meanwhile stay as they are). */
    public int recordSent(Collection<Long> ids, String token) {
        return em.createNativeQuery("UPDATE notification_outbox SET status = 'sent', sent_at = CURRENT_TIMESTAMP(3), "
                        + "last_error = NULL, claim_token = NULL WHERE id IN (?1) AND claim_token = ?2 AND status = 'sending'")
                .setParameter(1, ids).setParameter(2, token).executeUpdate();
    }

    /** Records a failed attempt of a row of the claim: {@code failed} for good, or queued again after {@code retryIn}. */
    public int recordFailure(long id, String token, String error, boolean giveUp, Duration retryIn) {
        return em.createNativeQuery("UPDATE notification_outbox SET status = ?1, last_error = ?2, claim_token = NULL, "
                        + "next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ?3 MICROSECOND "
                        + "WHERE id = ?4 AND claim_token = ?5 AND status = 'sending'")
                .setParameter(1, giveUp ? OutboxEntry.FAILED : OutboxEntry.QUEUED).setParameter(2, error)
                .setParameter(3, giveUp ? 0 : retryIn.toNanos() / 1000).setParameter(4, id).setParameter(5, token).executeUpdate();
    }

    /** Hands rows of the claim back untried: queued, due now, the attempt not counted. */
    public int release(Collection<Long> ids, String token) {
        return em.createNativeQuery("UPDATE notification_outbox SET status = 'queued', attempts = attempts - 1, claim_token = NULL, "
                        + "next_attempt_at = CURRENT_TIMESTAMP(3) WHERE id IN (?1) AND claim_token = ?2 AND status = 'sending'")
                .setParameter(1, ids).setParameter(2, token).executeUpdate();
    }

    /** Newest first; {@code resellerIds == null}: every row, else the rows of these resellers; {@code status == null}: any. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<OutboxEntry> newestFirst(List<Long> resellerIds, String status, Paging paging) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM notification_outbox WHERE 1 = 1");
        if (resellerIds != null) {
            sql.append(" AND reseller_id IN (:resellers)");
        }
        if (status != null) {
            sql.append(" AND status = :status");
        }
        Query q = em.createNativeQuery(sql.append(" ORDER BY id DESC LIMIT :limit OFFSET :offset").toString());
        if (resellerIds != null) {
            q.setParameter("resellers", resellerIds);
        }
        if (status != null) {
            q.setParameter("status", status);
        }
        q.setParameter("limit", paging.limit()).setParameter("offset", paging.offset());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows.stream().map(OutboxRepository::entry).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<OutboxEntry> find(long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT " + COLUMNS + " FROM notification_outbox WHERE id = ?1")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(OutboxRepository::entry);
    }

    /** Locks the row; its status, or empty when there is none. */
    public Optional<String> lock(long id) {
        return locks.outboxRow(id);
    }

    /** Queues the row again, due now, with a fresh set of attempts. */
    public void requeue(long id) {
        em.createNativeQuery("UPDATE notification_outbox SET status = 'queued', attempts = 0, claim_token = NULL, "
                + "next_attempt_at = CURRENT_TIMESTAMP(3), steered_at = CURRENT_TIMESTAMP(3) WHERE id = ?1").setParameter(1, id).executeUpdate();
    }

    public void cancel(long id) {
        em.createNativeQuery("UPDATE notification_outbox SET status = 'cancelled', claim_token = NULL, "
                + "steered_at = CURRENT_TIMESTAMP(3) WHERE id = ?1").setParameter(1, id).executeUpdate();
    }

    /** How many rows are in each status (statuses without rows are left out). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Long> depth() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT status, COUNT(*) FROM notification_outbox GROUP BY status").getResultList();
        Map<String, Long> depth = new LinkedHashMap<>();
        rows.forEach(r -> depth.put((String) r[0], num(r[1])));
        return depth;
    }

    private static OutboxEntry entry(Object[] r) {
        return new OutboxEntry(num(r[0]), r[1] == null ? null : num(r[1]), r[2] == null ? null : num(r[2]),
                r[3] == null ? null : (int) num(r[3]), (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8],
                (String) r[9], (String) r[10], (int) num(r[11]), instant(r[12]), (String) r[13], (String) r[14], instant(r[15]),
                instant(r[16]));
    }

    private static long num(Object o) {
        return ((Number) o).longValue();
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return (Instant) o;
    }
}
