package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AES-GCM secret box: round trip, random IVs, key rotation, tampering and bad key configuration. */
class SecretBoxTest {
    private static final String CONTEXT = "mail_accounts/7/jo@example.net/in";

    static String key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    static SecretBox box(String current, String... old) {
        return new SecretBox(Optional.ofNullable(current), Optional.of(List.of(old)));
    }

    static void assertClearFailure(Runnable r) {
        SecretBox.SecretUnavailable e = assertThrows(SecretBox.SecretUnavailable.class, r::run);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        // the error table answers it as before: 503 SERVICE_UNAVAILABLE with the same detail
        ApiException answered = ProblemMapper.classify(e);
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, answered.code);
        assertEquals(e.getMessage(), answered.getMessage());
    }

    @Test
    void shouldRoundTripAnyText() {
        SecretBox box = box(key());
        for (String plain : new String[] {"", "p", "Sekr3t-pässwörd 😀 中文", "x".repeat(8192), "a.b.c", "\u0000\u0001"}) {
            String sealed = box.seal(plain, CONTEXT);
            assertTrue(sealed.startsWith("v1."), sealed);
            assertEquals(3, sealed.split("\\.", 3).length);
            assertFalse(!plain.isEmpty() && plain.length() > 3 && sealed.contains(plain));
            assertEquals(plain, box.open(sealed, CONTEXT));
            assertTrue(box.current(sealed));
        }
        assertTrue(box.configured());
    }

    @Test
    void shouldUseAFreshIvForEverySeal() {
        SecretBox box = box(key());
        Set<String> seen = new HashSet<>();
        Set<String> ivs = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String sealed = box.seal("same secret", CONTEXT);
            assertTrue(seen.add(sealed), "equal plaintexts must not seal alike");
            byte[] raw = Base64.getDecoder().decode(sealed.split("\\.", 3)[2]);
            assertEquals(12 + "same secret".getBytes(StandardCharsets.UTF_8).length + 16, raw.length, "96-bit IV + ciphertext + 128-bit tag");
            ivs.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 12)));
        }
        assertEquals(200, ivs.size());
    }

    @Test
    void shouldOpenOldCiphertextsAfterRotationAndSealUnderTheNewKey() {
        String a = key();
        String b = key();
        SecretBox before = box(a);
        String underA = before.seal("old secret", CONTEXT);

        SecretBox rotated = box(b, a);
        assertEquals("old secret", rotated.open(underA, CONTEXT));
        assertFalse(rotated.current(underA), "a ciphertext under the old key is not current");
        String underB = rotated.seal("new secret", CONTEXT);
        assertTrue(rotated.current(underB));
        assertNotEquals(underA.split("\\.")[1], underB.split("\\.")[1], "ciphertexts name their key");
        assertEquals("new secret", rotated.open(underB, CONTEXT));

        SecretBox withoutA = box(b);
        assertClearFailure(() -> withoutA.open(underA, CONTEXT));
        assertClearFailure(() -> before.open(underB, CONTEXT));
    }

    @Test
    void shouldFailCleanlyOnTamperingWrongContextAndGarbage() {
        SecretBox box = box(key());
        String sealed = box.seal("secret", CONTEXT);
        assertClearFailure(() -> box.open(sealed, "mail_accounts/7/jo@example.net/smtp"));
        assertClearFailure(() -> box.open(sealed, "mail_accounts/8/jo@example.net/in"));

        String[] parts = sealed.split("\\.", 3);
        byte[] raw = Base64.getDecoder().decode(parts[2]);
        for (int i : new int[] {0, 11, 12, raw.length - 1}) {
            byte[] flipped = raw.clone();
            flipped[i] ^= 1;
            String tampered = parts[0] + "." + parts[1] + "." + Base64.getEncoder().encodeToString(flipped);
            assertClearFailure(() -> box.open(tampered, CONTEXT));
        }
        String truncated = parts[0] + "." + parts[1] + "." + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 20));
        assertClearFailure(() -> box.open(truncated, CONTEXT));
        String tiny = parts[0] + "." + parts[1] + "." + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        assertClearFailure(() -> box.open(tiny, CONTEXT));
        for (String garbage : new String[] {"", "garbage", "v1", "v1.", "v1." + parts[1], "v1." + parts[1] + ".!!!not base64!!!",
                "v2." + parts[1] + "." + parts[2], "v1.00000000." + parts[2]}) {
            assertClearFailure(() -> box.open(garbage, CONTEXT));
        }
    }

    @Test
    void shouldRefuseToSealWithoutAKeyButStillOpenWithOldKeys() {
        String a = key();
        String underA = box(a).seal("s", CONTEXT);
        SecretBox none = new SecretBox(Optional.empty(), Optional.empty());
        assertFalse(none.configured());
        assertClearFailure(() -> none.seal("s", CONTEXT));
        SecretBox blank = new SecretBox(Optional.of("  "), Optional.of(List.of(a)));
        assertFalse(blank.configured());
        assertEquals("s", blank.open(underA, CONTEXT));
        assertFalse(blank.current(underA));
    }

    @Test
    void shouldRefuseBadKeyConfigurationAtConstruction() {
        for (String bad : new String[] {"not base64 at all!", "Zm9v", Base64.getEncoder().encodeToString(new byte[16]),
                Base64.getEncoder().encodeToString(new byte[31]), Base64.getEncoder().encodeToString(new byte[33]), "****"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> box(bad), bad);
            assertTrue(e.getMessage().contains("base64") || e.getMessage().contains("32 bytes"), e.getMessage());
            IllegalStateException old = assertThrows(IllegalStateException.class, () -> box(key(), bad), bad);
            assertTrue(old.getMessage().contains("base64") || old.getMessage().contains("32 bytes"), old.getMessage());
            assertFalse(e.getMessage().contains(bad) && bad.length() > 4, "the message does not echo the key");
        }
        // surrounding whitespace (a trailing newline from a secrets file) is tolerated
        String k = key();
        SecretBox padded = box(" " + k + "\n");
        assertEquals("x", box(k).open(padded.seal("x", CONTEXT), CONTEXT));
    }

    @Test
    void shouldDeriveStableKeyIdsThatDifferPerKey() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[0] = 1;
        assertEquals(SecretBox.keyId(a), SecretBox.keyId(a.clone()));
        assertNotEquals(SecretBox.keyId(a), SecretBox.keyId(b));
        assertTrue(SecretBox.keyId(a).matches("[0-9a-f]{8}"));
    }
}
