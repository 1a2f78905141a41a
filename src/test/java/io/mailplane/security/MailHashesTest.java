package io.mailplane.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Mail users' hashes at the production cost (mailplane.mailserver.* defaults) are what Dovecot
 * verifies: checked with Debian's {@code doveadm pw -t}, the mail server's own verifier.
 */
class MailHashesTest {
    private final Passwords passwords = new Passwords(4, 19_456, 2);

    /** doveadm's exit status: 0 when the password matches the hash. */
    private static int doveadmVerifies(String hash, String password) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("doveadm", "pw", "-t", hash, "-p", password)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return p.waitFor();
    }

    @Test
    void doveadmVerifiesAMailHashWithItsPasswordAndNoOther() throws Exception {
        String hash = passwords.mailHash("Sekr3t-correct horse");
        assertTrue(hash.startsWith("{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertEquals(0, doveadmVerifies(hash, "Sekr3t-correct horse"));
        assertNotEquals(0, doveadmVerifies(hash, "Sekr3t-correct horsE"));
    }

    @Test
    void everyByteOfAPasswordLongerThanSeventyTwoBytesCounts() throws Exception {
        String password = "Sekr3t-" + "ü".repeat(50) + "-tail";
        assertTrue(password.getBytes(StandardCharsets.UTF_8).length > 72);
        String hash = passwords.mailHash(password);
        assertEquals(0, doveadmVerifies(hash, password));
        assertNotEquals(0, doveadmVerifies(hash, password.replace("-tail", "-TAIL")));
    }

    @Test
    void twoHashesOfOnePasswordDiffer() {
        assertNotEquals(passwords.mailHash("Sekr3t-same"), passwords.mailHash("Sekr3t-same"));
    }
}
