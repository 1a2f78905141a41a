package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.constraints.WellFormed;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Slow password hashing: bcrypt over a SHA-256 pre-hash (so passwords longer than bcrypt's
 * 72 bytes still count in full). Only well-formed UTF-16 is hashed or matched: UTF-8 turns an
 * unpaired surrogate into {@code ?}, which would make two passwords one.
 */
@ApplicationScoped
public class Passwords {
    /** A valid hash of a random secret: verifying against it costs as much as a real check. */
    private final String dummyHash;
    private final int cost;

    @jakarta.inject.Inject
    public Passwords(MailplaneConfig config) {
        this(config.auth().bcryptCost());
    }

    Passwords(int cost) {
        this.cost = cost;
        this.dummyHash = BcryptUtil.bcryptHash(prehash(java.util.UUID.randomUUID().toString()), cost);
    }

    public String hash(String password) {
        if (!WellFormed.Validator.isWellFormed(password)) {
            // Validation (@Secret) refuses such passwords with 400 before they get here.
            throw new IllegalArgumentException("password is not well-formed UTF-16");
        }
        return BcryptUtil.bcryptHash(prehash(password), cost);
    }

    public boolean matches(String password, String hash) {
        try {
            return hash != null && WellFormed.Validator.isWellFormed(password) && BcryptUtil.matches(prehash(password), hash);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Spends the time of one verification, so unknown logins are not told apart by timing. */
    public void burn(String password) {
        matches(password, dummyHash);
    }

    static String prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
