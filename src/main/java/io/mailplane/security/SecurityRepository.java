package io.mailplane.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of sign-in sessions: the table {@code user_sessions}, a user's last login, and the users
 * an admin names when closing sessions. Native SQL throughout: sessions have no entity (a row is
 * written once, found by its token hash, and revoked by a timestamp), the token lookup runs on
 * every request and reads the five columns it needs in one join, and the "live" test is the
 * database's clock ({@code CURRENT_TIMESTAMP(3)}), so every replica agrees on expiry. Writes run
 * in the caller's transaction; locking the open sessions is {@link io.mailplane.common.RowLocks}'
 * job. The accounts a login names are the directory's ({@code DirectoryRepository}).
 */
@ApplicationScoped
public class SecurityRepository {
    private final EntityManager em;

    public SecurityRepository(EntityManager em) {
        this.em = em;
    }

    /** Records the user's sign-in time; locks the user's row, which comes before its sessions. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void touchLastLogin(long userPk, Instant at) {
        em.createNativeQuery("UPDATE users SET last_login_at = ?1 WHERE pk = ?2")
                .setParameter(1, Timestamp.from(at))
                .setParameter(2, userPk)
                .executeUpdate();
    }

    /**
     * Stores the mail-server hash of a user who has none yet (created before V10), computed from
     * the password that just signed in; nothing when the password changed meanwhile (its hash is
     * no longer {@code passwordHash}) or another sign-in stored one first. Not a user change: the
     * row's version stays.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean storeFirstMailHash(long userPk, String passwordHash, String mailHash) {
        return em.createNativeQuery("UPDATE users SET mail_password_hash = ?1 WHERE pk = ?2 AND password_hash = ?3"
                        + " AND mail_password_hash IS NULL")
                .setParameter(1, mailHash)
                .setParameter(2, userPk)
                .setParameter(3, passwordHash)
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void insertSession(String tokenHash, long userPk, Instant created, Instant expires) {
        em.createNativeQuery("INSERT INTO user_sessions (token_hash, user_pk, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, tokenHash)
                .setParameter(2, userPk)
                .setParameter(3, Timestamp.from(created))
                .setParameter(4, Timestamp.from(expires))
                .executeUpdate();
    }

    /** The user of a live (not revoked, not expired) session with this token hash. */
    public Optional<Account> accountOfLiveSession(String tokenHash) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT u.uidname, c.reseller_id, u.context_id, u.user_id, u.pk, s.id "
                        + "FROM user_sessions s JOIN users u ON u.pk = s.user_pk JOIN contexts c ON c.id = u.context_id "
                        + "WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > CURRENT_TIMESTAMP(3)")
                .setParameter(1, tokenHash)
                .getResultList();
        return rows.stream().findFirst().map(r -> new Account(Realm.USER, (String) r[0], ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue(), ((Number) r[3]).intValue(), ((Number) r[4]).longValue(), ((Number) r[5]).longValue()));
    }

    /** Revokes these (locked) sessions. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeSessions(List<Long> sessionIds) {
        em.createNativeQuery("UPDATE user_sessions SET revoked_at = CURRENT_TIMESTAMP(3) WHERE id IN (?1)")
                .setParameter(1, sessionIds)
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeSession(long sessionId) {
        em.createNativeQuery("UPDATE user_sessions SET revoked_at = CURRENT_TIMESTAMP(3) WHERE id = ?1 AND revoked_at IS NULL")
                .setParameter(1, sessionId)
                .executeUpdate();
    }

    /** Revokes every open session of a user; how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeSessionsOf(long userPk) {
        return em.createNativeQuery("UPDATE user_sessions SET revoked_at = CURRENT_TIMESTAMP(3) WHERE user_pk = ?1 AND revoked_at IS NULL")
                .setParameter(1, userPk)
                .executeUpdate();
    }
}
