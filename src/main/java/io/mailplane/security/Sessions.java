package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.common.RowLocks;
import io.mailplane.directory.DirectoryRepository;
import io.mailplane.directory.DirectoryRepository.UserKey;
import io.mailplane.directory.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * User sessions: opened with login + password, identified by an opaque token stored only as its
 * hash. Locks: a user's row before its sessions (RowLocks' order), so signing in, which writes
 * both, touches the user first.
 */
@ApplicationScoped
public class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecurityRepository repository;
    private final DirectoryRepository directory;
    private final RowLocks locks;
    private final CredentialVerifier verifier;
    private final Mfa mfa;
    private final Duration ttl;

    public Sessions(SecurityRepository repository, DirectoryRepository directory, RowLocks locks, CredentialVerifier verifier,
                    Mfa mfa, MailplaneConfig config) {
        this.repository = repository;
        this.mfa = mfa;
        this.directory = directory;
        this.locks = locks;
        this.verifier = verifier;
        this.ttl = config.sessions().ttl();
    }

    public record Opened(String token, Instant expires) {
    }

    /**
     * The user these credentials sign in (a cache hit, or a throttled password check, done outside
     * any transaction); 401 for anything else, 429 when the client or the account is out of failures.
     * A user enrolled in MFA also needs {@code totp}, a current one-time code not used before:
     * without one 401 {@code ONE_TIME_CODE_REQUIRED} (not charged to the throttle), with a wrong,
     * expired or used one 401 {@code ONE_TIME_CODE_INVALID} (a failed login). Both only after the
     * password verified, so they reveal nothing to whoever does not know it. {@code totp} is
     * ignored for users without MFA.
     */
    public Account user(String login, String password, String totp, String clientAddress) {
        boolean[] codeRefused = {false};
        return verifier.authenticate(login, password, null, clientAddress, pending -> {
                    if (pending.realm() != Realm.USER || pending.userPk() == null) {
                        return false;
                    }
                    if (totp == null) {
                        throw new ApiException(ErrorCode.ONE_TIME_CODE_REQUIRED,
                                "This account needs a one-time code: send the current code of its authenticator app as totp.");
                    }
                    boolean admitted = mfa.accept(pending.userPk(), totp, Instant.now());
                    codeRefused[0] |= !admitted;
                    return admitted;
                }).stream()
                .filter(a -> a.realm() == Realm.USER)
                .findFirst()
                .orElseThrow(() -> codeRefused[0]
                        ? new ApiException(ErrorCode.ONE_TIME_CODE_INVALID, "The one-time code is wrong, expired or already used.")
                        : new ApiException(ErrorCode.UNAUTHENTICATED, "Invalid user name or password."));
    }

    /** Opens a session for a user that {@link #user} admitted, and records the login. */
    @Transactional
    public Opened open(Account user) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expires = now.plus(ttl);
        // The user's row first: the session's insert would share-lock it (foreign key), and a
        // later update of it would then wait behind a writer of the user that waits for us.
        repository.touchLastLogin(user.userPk(), now);
        repository.insertSession(hash(token), user.userPk(), now, expires);
        return new Opened(token, expires);
    }

    /** The user a live (not revoked, not expired) token belongs to. */
    @ActivateRequestContext
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Account> accountOf(String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        return repository.accountOfLiveSession(hash(token));
    }

    /** A session an admin closed. */
    public record ClosedSession(@com.fasterxml.jackson.annotation.JsonProperty("context-id") long contextId,
                                @com.fasterxml.jackson.annotation.JsonProperty("user-id") int userId,
                                String uidname, long session) {
    }

    /** The context's user an admin names by id, login ({@code uidname}) or primary address; exactly one is given. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> userOf(TenantContext context, Integer userId, String userName, String userMail) {
        return userId != null ? directory.userPk(context.id, UserKey.USER_ID, userId)
                : userName != null ? directory.userPk(context.id, UserKey.UIDNAME, userName)
                : directory.userPk(context.id, UserKey.PRIMARY_EMAIL, userMail);
    }

    /** Closes the open sessions of a context, or of one user of it ({@code userPk}), and says which (the caller audits it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ClosedSession> close(TenantContext context, Long userPk) {
        List<ClosedSession> closed = locks.openSessions(context.id, userPk).stream()
                .map(s -> new ClosedSession(context.id, s.userId(), s.uidname(), s.id())).toList();
        if (!closed.isEmpty()) {
            repository.revokeSessions(closed.stream().map(ClosedSession::session).toList());
        }
        return closed;
    }

    /** Ends one session (logout). */
    @Transactional
    public void revoke(long sessionId) {
        repository.revokeSession(sessionId);
    }

    /** Ends every open session of a user (password changed); returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeAllOf(long userPk) {
        return repository.revokeSessionsOf(userPk);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
