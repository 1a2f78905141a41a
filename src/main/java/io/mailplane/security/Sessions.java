package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** User sessions: opened with login + password, identified by an opaque token stored only as its hash. */
@ApplicationScoped
public class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final CredentialVerifier verifier;
    private final Duration ttl;
    private final io.mailplane.audit.AuditLog audit;

    public Sessions(EntityManager em, CredentialVerifier verifier, io.mailplane.audit.AuditLog audit,
                    MailplaneConfig config) {
        this.audit = audit;
        this.em = em;
        this.verifier = verifier;
        this.ttl = config.sessions().ttl();
    }

    public record Opened(String token, Instant expires) {
    }

    /**
     * The user these credentials sign in (a cache hit, or a throttled password check, done outside
     * any transaction); 401 for anything else, 429 when the client or the account is out of failures.
     */
    public Account user(String login, String password, String clientAddress) {
        return verifier.authenticate(login, password, null, clientAddress).stream()
                .filter(a -> a.realm() == Realm.USER)
                .findFirst()
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, "Invalid user name or password."));
    }

    /** Opens a session for a user that {@link #user} admitted, and records the login. */
    @Transactional
    public Opened open(Account user) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expires = now.plus(ttl);
        em.createNativeQuery("INSERT INTO user_sessions (token_hash, user_pk, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, hash(token))
                .setParameter(2, user.userPk())
                .setParameter(3, Timestamp.from(now))
                .setParameter(4, Timestamp.from(expires))
                .executeUpdate();
        em.createNativeQuery("UPDATE users SET last_login_at = ?1 WHERE pk = ?2")
                .setParameter(1, Timestamp.from(now))
                .setParameter(2, user.userPk())
                .executeUpdate();
        return new Opened(token, expires);
    }

    /** The user a live (not revoked, not expired) token belongs to. */
    @ActivateRequestContext
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Account> accountOf(String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT u.uidname, c.reseller_id, u.context_id, u.user_id, u.pk, s.id "
                        + "FROM user_sessions s JOIN users u ON u.pk = s.user_pk JOIN contexts c ON c.id = u.context_id "
                        + "WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > CURRENT_TIMESTAMP(3)")
                .setParameter(1, hash(token))
                .getResultList();
        return rows.stream().findFirst().map(r -> new Account(Realm.USER, (String) r[0], ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue(), ((Number) r[3]).intValue(), ((Number) r[4]).longValue(), ((Number) r[5]).longValue()));
    }

    /** A session an admin closed. */
    public record ClosedSession(@com.fasterxml.jackson.annotation.JsonProperty("context-id") long contextId,
                                @com.fasterxml.jackson.annotation.JsonProperty("user-id") int userId,
                                String uidname, long session) {
    }

    /** Closes the open sessions of a context, or of one user of it ({@code userPk}), and says which. */
    @Transactional
    public List<ClosedSession> close(io.mailplane.directory.TenantContext context, Long userPk) {
        jakarta.persistence.Query query = em.createNativeQuery("SELECT s.id, u.user_id, u.uidname FROM user_sessions s JOIN users u ON u.pk = s.user_pk "
                        + "WHERE u.context_id = ?1 " + (userPk == null ? "" : "AND u.pk = ?2 ")
                        + "AND s.revoked_at IS NULL AND s.expires_at > CURRENT_TIMESTAMP(3) ORDER BY s.id FOR UPDATE")
                .setParameter(1, context.id);
        if (userPk != null) {
            query.setParameter(2, userPk);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        List<ClosedSession> closed = rows.stream().map(r -> new ClosedSession(context.id, ((Number) r[1]).intValue(),
                (String) r[2], ((Number) r[0]).longValue())).toList();
        if (!closed.isEmpty()) {
            em.createNativeQuery("UPDATE user_sessions SET revoked_at = CURRENT_TIMESTAMP(3) WHERE id IN (?1)")
                    .setParameter(1, closed.stream().map(ClosedSession::session).toList())
                    .executeUpdate();
            audit.record("sessions.close", closed.size() + " session(s) in context " + context.id
                    + (userPk == null ? "" : " of user " + closed.get(0).uidname()), context.resellerId, context.id);
        }
        return closed;
    }

    /** Ends one session (logout). */
    @Transactional
    public void revoke(long sessionId) {
        em.createNativeQuery("UPDATE user_sessions SET revoked_at = CURRENT_TIMESTAMP(3) WHERE id = ?1 AND revoked_at IS NULL")
                .setParameter(1, sessionId)
                .executeUpdate();
    }

    /** Ends every open session of a user (password changed); returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeAllOf(long userPk) {
        return em.createNativeQuery("UPDATE user_sessions SET revoked_at = CURRENT_TIMESTAMP(3) WHERE user_pk = ?1 AND revoked_at IS NULL")
                .setParameter(1, userPk)
                .executeUpdate();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
