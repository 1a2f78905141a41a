package io.mailplane.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets the service must replay (IMAP and SMTP passwords, OAuth tokens) with
 * AES-256-GCM and a random 96-bit IV. A ciphertext reads {@code v1.<key id>.<base64(iv|ct)>}:
 * it names its key, so old keys ({@code MAILPLANE_CRYPTO_OLD_KEYS}) keep decrypting after the
 * current key ({@code MAILPLANE_CRYPTO_KEY}) is rotated. The associated data binds a
 * ciphertext to the row and field it was made for, so ciphertexts cannot be swapped.
 * A secret that cannot be sealed or opened is a {@link SecretUnavailable}, which the error
 * table ({@link ProblemMapper}) answers with 503 {@code SERVICE_UNAVAILABLE}.
 */
@ApplicationScoped
public class SecretBox {
    /** No key to seal with, or a stored secret that no key opens (rotated away, tampered with, cut short). */
    public static class SecretUnavailable extends RuntimeException {
        public SecretUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecureRandom random = new SecureRandom();
    private final String currentId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    @jakarta.inject.Inject
    public SecretBox(MailplaneConfig config) {
        this(config.crypto().key(), config.crypto().oldKeys());
    }

    SecretBox(Optional<String> key, Optional<List<String>> oldKeys) {
        String current = key.filter(k -> !k.isBlank()).orElse(null);
        this.currentId = current == null ? null : add(current);
        oldKeys.orElse(List.of()).stream().filter(k -> !k.isBlank()).forEach(this::add);
    }

    /** Parses a base64 key of 32 bytes; the id is derived from the key, so it needs no name. */
    private String add(String encoded) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("MAILPLANE_CRYPTO_KEY must be base64 (e.g. `openssl rand -base64 32`)");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("MAILPLANE_CRYPTO_KEY must decode to 32 bytes (e.g. `openssl rand -base64 32`)");
        }
        String id = keyId(raw);
        keys.put(id, new SecretKeySpec(raw, "AES"));
        return id;
    }

    static String keyId(byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("mailplane-key-id:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(raw), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean configured() {
        return currentId != null;
    }

    public String seal(String plaintext, String context) {
        if (currentId == null) {
            throw new SecretUnavailable("No encryption key is configured.");
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
            return "v1." + currentId + "." + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String open(String sealed, String context) {
        String[] parts = sealed.split("\\.", 3);
        SecretKey key = parts.length == 3 && parts[0].equals("v1") ? keys.get(parts[1]) : null;
        if (key == null) {
            throw new SecretUnavailable("A stored secret was encrypted under a key this service does not have.");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            if (in.length < IV_BYTES + TAG_BITS / 8) {
                throw new SecretUnavailable("A stored secret could not be decrypted.");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException | java.security.ProviderException e) {
            throw new SecretUnavailable("A stored secret could not be decrypted.");
        }
    }

    /** Whether a ciphertext is under the current key (rotation re-seals the others on the next write). */
    public boolean current(String sealed) {
        return currentId != null && sealed.startsWith("v1." + currentId + ".");
    }
}
