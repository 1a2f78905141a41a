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
 * job. The accounts a login names are the directory's ({@code DirectoryRepository}), except a
 * user's sign-in row ({@link #userLogin}), read here in one query with its MFA enrolment. The
 * table {@code user_mfa} (TOTP enrolments, {@link Mfa}) is written only here.
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

    // ---- MFA (issue 15): user_mfa ----

    /**
     * What a password check of a user needs, from one query: the user's hashes, its owner reseller,
     * and whether it is enrolled in MFA (then its password alone opens nothing).
     */
    public record UserLogin(long pk, long contextId, int userId, long resellerId, String passwordHash, String mailPasswordHash,
                            boolean mfa) {
    }

    /** The user whose login this is, as {@code MailUser.find("uidname", ...)} finds it (the column's collation). */
    public Optional<UserLogin> userLogin(String uidname) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT u.pk, u.context_id, u.user_id, c.reseller_id, u.password_hash,"
                        + " u.mail_password_hash, CASE WHEN m.user_pk IS NULL THEN 0 ELSE 1 END"
                        + " FROM users u JOIN contexts c ON c.id = u.context_id LEFT JOIN user_mfa m ON m.user_pk = u.pk"
                        + " WHERE u.uidname = ?1")
                .setParameter(1, uidname)
                .setMaxResults(1)
                .getResultList();
        return rows.stream().findFirst().map(r -> new UserLogin(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                ((Number) r[2]).intValue(), ((Number) r[3]).longValue(), (String) r[4], (String) r[5],
                ((Number) r[6]).intValue() == 1));
    }

    /** The context and user id of a user row (its credential key), without a lock. */
    public Optional<long[]> contextAndUserId(long userPk) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT context_id, user_id FROM users WHERE pk = ?1")
                .setParameter(1, userPk)
                .getResultList();
        return rows.stream().findFirst().map(r -> new long[] {((Number) r[0]).longValue(), ((Number) r[1]).longValue()});
    }

    /** Enrols the user with this (sealed) secret, replacing an earlier one; no code of it is used yet. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enrolMfa(long userPk, String sealedSecret) {
        em.createNativeQuery("INSERT INTO user_mfa (user_pk, secret, last_step, created_at) VALUES (?1, ?2, 0, CURRENT_TIMESTAMP(3))"
                        + " ON DUPLICATE KEY UPDATE secret = ?2, last_step = 0, created_at = CURRENT_TIMESTAMP(3)")
                .setParameter(1, userPk)
                .setParameter(2, sealedSecret)
                .executeUpdate();
    }

    /** Removes the user's enrolment; whether there was one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean removeMfa(long userPk) {
        return em.createNativeQuery("DELETE FROM user_mfa WHERE user_pk = ?1")
                .setParameter(1, userPk)
                .executeUpdate() > 0;
    }

    public boolean mfaEnrolled(long userPk) {
        return !em.createNativeQuery("SELECT 1 FROM user_mfa WHERE user_pk = ?1")
                .setParameter(1, userPk)
                .getResultList().isEmpty();
    }

    /** A user's enrolment: the sealed secret and the time step of the last accepted code. */
    public record MfaEnrolment(String sealedSecret, long lastStep) {
    }

    public Optional<MfaEnrolment> mfaEnrolment(long userPk) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT secret, last_step FROM user_mfa WHERE user_pk = ?1")
                .setParameter(1, userPk)
                .getResultList();
        return rows.stream().findFirst().map(r -> new MfaEnrolment((String) r[0], ((Number) r[1]).longValue()));
    }

    /**
     * Marks the code of {@code step} used, if no code of this step or a later one was: true for
     * exactly one of any number of concurrent callers with the same step (the row's lock orders
     * them, and the losers find {@code last_step} already moved). Locks only this row.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean useMfaStep(long userPk, long step) {
        return em.createNativeQuery("UPDATE user_mfa SET last_step = ?1 WHERE user_pk = ?2 AND last_step < ?1")
                .setParameter(1, step)
                .setParameter(2, userPk)
                .executeUpdate() == 1;
    }
}
