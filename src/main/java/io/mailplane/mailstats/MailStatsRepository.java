package io.mailplane.mailstats;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of mail statistics: the user whose mailbox is read, with what the mail server and the
 * API know of its last login. One native query per lookup (the columns it needs, the context's
 * reseller for the caller's tree check, and the last mail login that Dovecot's {@code last_login}
 * plugin writes into {@code mail_last_login}, keyed by the Dovecot user name: the primary address
 * in lower case). Read in a short transaction of its own; never held across IMAP.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class MailStatsRepository {
    private static final String USER = "SELECT u.context_id, u.user_id, u.uidname, u.primary_email, c.reseller_id,"
            + " u.last_login_at, m.last_login"
            + " FROM users u JOIN contexts c ON c.id = u.context_id"
            + " LEFT JOIN mail_last_login m ON m.username = LOWER(u.primary_email) WHERE ";

    private final EntityManager em;

    public MailStatsRepository(EntityManager em) {
        this.em = em;
    }

    /** A user as statistics need it; {@code mailLogin} and {@code apiLogin} are null when unknown. */
    public record StatsUser(long contextId, int userId, String uidname, String primaryEmail, long resellerId,
                            Instant apiLogin, Instant mailLogin) {
    }

    /** The context's user with this id. */
    public Optional<StatsUser> user(long contextId, int userId) {
        return first(em.createNativeQuery(USER + "u.context_id = ?1 AND u.user_id = ?2")
                .setParameter(1, contextId).setParameter(2, userId).getResultList());
    }

    /** The user with this login (uidname). */
    public Optional<StatsUser> userByUidname(String uidname) {
        return first(em.createNativeQuery(USER + "u.uidname = ?1").setParameter(1, uidname).getResultList());
    }

    private static Optional<StatsUser> first(List<?> rows) {
        return rows.stream().findFirst().map(r -> (Object[]) r).map(r -> new StatsUser(((Number) r[0]).longValue(),
                ((Number) r[1]).intValue(), (String) r[2], (String) r[3], ((Number) r[4]).longValue(), instant(r[5]),
                r[6] == null ? null : Instant.ofEpochSecond(((Number) r[6]).longValue())));
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return value instanceof Instant i ? i : null;
    }
}
