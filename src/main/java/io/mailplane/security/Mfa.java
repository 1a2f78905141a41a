package io.mailplane.security;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.mailplane.common.Invalidations;
import io.mailplane.common.SecretBox;
import io.mailplane.directory.CredentialKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.jboss.logging.Logger;

/**
 * TOTP multi-factor authentication of user accounts (issue 15: shared accounts with a password
 * require it). A user with an enrolment signs in only through {@code POST /api/2.0/authentication}
 * with a current one-time code; its password alone (HTTP Basic) opens nothing.
 *
 * <p>Codes are RFC 6238 with the authenticator apps' defaults: a 160-bit random secret, HMAC-SHA1,
 * 6 digits, 30-second steps (computed by {@code com.eatthepath:java-otp}). A code is accepted for
 * the current step and the one before (clock skew), once: the step of the last accepted code is
 * stored, and a code of that step or an earlier one is refused (replay), atomically
 * ({@link SecurityRepository#useMfaStep}). The secret is stored sealed with {@link SecretBox},
 * bound to the user's row.
 *
 * <p>Whether a user needs a code is read on each password check together with the user's hash
 * ({@link SecurityRepository#userLogin}); verifications answered from the credential cache never
 * include an enrolled user, and enrolling or removing evicts the user's cached verifications on
 * every replica ({@link Invalidations}).
 */
@ApplicationScoped
public class Mfa {
    private static final Logger LOG = Logger.getLogger(Mfa.class);
    /** The issuer authenticator apps show above the account name. */
    public static final String ISSUER = "Mailplane";
    public static final Duration STEP = Duration.ofSeconds(30);
    public static final int DIGITS = 6;
    /** Codes of this many steps before the current one are still accepted (a clock behind, a slow typist). */
    static final int STEPS_BACK = 1;
    private static final int SECRET_BYTES = 20;
    /** The shape of a one-time code, as {@code totp} of a sign-in. */
    public static final String CODE_PATTERN = "^[0-9]{6}$";
    private static final Pattern CODE = Pattern.compile(CODE_PATTERN);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecurityRepository repository;
    private final SecretBox secrets;
    private final Invalidations invalidations;
    private final TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator(STEP, DIGITS,
            TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);

    public Mfa(SecurityRepository repository, SecretBox secrets, Invalidations invalidations) {
        this.repository = repository;
        this.secrets = secrets;
        this.invalidations = invalidations;
    }

    /** What an enrolment shows once: the {@code otpauth://totp/...} URI holding the new secret. */
    public record Enrolment(String otpauthUri) {
    }

    /**
     * Enrols (or re-enrols, replacing the secret) the user {@code userPk} with a new TOTP secret,
     * inside the caller's transaction. {@code accountName} is the label shown in authenticator apps
     * (the login). The URI is returned once and never again. The user's open sessions end (they
     * were opened without a code), and its cached password verifications are evicted everywhere.
     * Locks: the enrolment row and the user's sessions, after the user's row if the caller holds it
     * (RowLocks' order).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Enrolment enrol(long userPk, String accountName) {
        if (accountName == null || accountName.isBlank()) {
            throw new IllegalArgumentException("an enrolment needs the account name authenticator apps show");
        }
        long[] key = repository.contextAndUserId(userPk)
                .orElseThrow(() -> new IllegalArgumentException("no user " + userPk));
        byte[] raw = new byte[SECRET_BYTES];
        RANDOM.nextBytes(raw);
        String secret = Base32.toBase32String(raw); // 160 bits: 32 characters, no padding
        repository.enrolMfa(userPk, secrets.seal(secret, secretContext(userPk)));
        repository.revokeSessionsOf(userPk);
        invalidations.changed(CredentialKeys.user(key[0], (int) key[1]));
        return new Enrolment(otpauthUri(ISSUER, accountName, secret));
    }

    /** Removes the user's enrolment (and with it the requirement); nothing when there is none. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void remove(long userPk) {
        if (repository.removeMfa(userPk)) {
            repository.contextAndUserId(userPk).ifPresent(key -> invalidations.changed(CredentialKeys.user(key[0], (int) key[1])));
        }
    }

    /** Whether the user must give a one-time code to sign in (one indexed read; sign-in itself reads it with the hash). */
    @ActivateRequestContext
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean required(long userPk) {
        return repository.mfaEnrolled(userPk);
    }

    /** Whether {@code code} has the shape of a one-time code (6 ASCII digits). */
    public static boolean wellFormed(String code) {
        return code != null && CODE.matcher(code).matches();
    }

    /**
     * Checks a one-time code of the user at {@code now} and, when it is right, marks it used (in a
     * transaction of its own, committed before the answer: a code is spent even if the sign-in
     * fails later). False for a malformed, wrong, expired or already used code. A user without an
     * enrolment (removed meanwhile) needs no code: true.
     */
    @ActivateRequestContext
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean accept(long userPk, String code, Instant now) {
        Optional<SecurityRepository.MfaEnrolment> enrolment = repository.mfaEnrolment(userPk);
        if (enrolment.isEmpty()) {
            return true;
        }
        if (!wellFormed(code)) {
            return false;
        }
        SecretKeySpec key = new SecretKeySpec(Base32.decode(secrets.open(enrolment.get().sealedSecret(), secretContext(userPk))),
                TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
        long current = stepOf(now);
        for (long step = current; step >= current - STEPS_BACK; step--) {
            if (MessageDigest.isEqual(code(key, step).getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII))) {
                if (step <= enrolment.get().lastStep() || !repository.useMfaStep(userPk, step)) {
                    LOG.infof("Refused a one-time code already used (user pk %d)", userPk);
                    return false;
                }
                return true;
            }
        }
        return false;
    }

    /** The RFC 6238 time step of an instant: whole 30-second periods since the epoch. */
    public static long stepOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.getSeconds());
    }

    private String code(SecretKeySpec key, long step) {
        try {
            return totp.generateOneTimePasswordString(key, Instant.ofEpochSecond(step * STEP.getSeconds()), Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30}
     * (Google Authenticator's key URI format), the label and the issuer percent-encoded as URI
     * path and query text (a {@code :} or {@code &} in them cannot split the URI).
     */
    static String otpauthUri(String issuer, String accountName, String base32Secret) {
        String label = encode(issuer) + ":" + encode(accountName);
        return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.getSeconds();
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters (so also '@' → %40, ' ' → %20). */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String secretContext(long userPk) {
        return "mfa:" + userPk;
    }
}
