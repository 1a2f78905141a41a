package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.constraints.WellFormed;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Slow password hashing: bcrypt over a SHA-256 pre-hash (so passwords longer than bcrypt's
 * 72 bytes still count in full). Only well-formed UTF-16 is hashed or matched: UTF-8 turns an
 * unpaired surrogate into {@code ?}, which would make two passwords one.
 * <p>
 * Mail users also get a hash the mail server verifies itself ({@link #mailHash}): Argon2id in
 * Dovecot's {@code {ARGON2ID}} scheme (libsodium's encoding), over the whole UTF-8 password (no
 * 72-byte limit). The API keeps checking its own hash; the mail server reads only this one.
 */
@ApplicationScoped
public class Passwords {
    /** A valid hash of a random secret: verifying against it costs as much as a real check. */
    private final String dummyHash;
    private final int cost;
    /** Argon2id cost of mail hashes (mailplane.mailserver.*), verified on every mail login. */
    private final int argon2MemoryKib;
    private final int argon2Passes;
    private static final SecureRandom RANDOM = new SecureRandom();

    @jakarta.inject.Inject
    public Passwords(MailplaneConfig config) {
        this(config.auth().bcryptCost(), config.mailserver().argon2MemoryKib(), config.mailserver().argon2Passes());
    }

    Passwords(int cost, int argon2MemoryKib, int argon2Passes) {
        this.cost = cost;
        this.argon2MemoryKib = argon2MemoryKib;
        this.argon2Passes = argon2Passes;
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

    /**
     * The password as Dovecot's {@code {ARGON2ID}} scheme stores it:
     * {@code {ARGON2ID}$argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt>$<hash>} (unpadded Base64,
     * 16-byte salt, 32-byte hash), verified by {@code doveadm pw -t} and every Dovecot login.
     */
    public String mailHash(String password) {
        if (!WellFormed.Validator.isWellFormed(password)) {
            throw new IllegalArgumentException("password is not well-formed UTF-16");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(argon2MemoryKib)
                .withIterations(argon2Passes)
                .withParallelism(1)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] hash = new byte[32];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "{ARGON2ID}$argon2id$v=19$m=" + argon2MemoryKib + ",t=" + argon2Passes + ",p=1$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
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
