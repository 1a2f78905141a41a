package io.mailplane.mailaccounts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust setup for users' mail servers is built from the settings alone (as at start-up,
 * where a failure stops the boot); a failure names the setting to fix and never the password.
 */
class TrustSetupTest {
    static final String STORE = "src/test/resources/tls/truststore.p12";

    static TrustSetup build(String path, String password) {
        Map<String, String> settings = new HashMap<>();
        if (path != null) {
            settings.put("mailplane.mailaccounts.truststore.path", path);
        }
        if (password != null) {
            settings.put("mailplane.mailaccounts.truststore.password", password);
        }
        return new TrustSetup(Settings.of(settings).mailaccounts().truststore());
    }

    @Test
    void shouldRefuseAMissingTruststoreNamingThePathSetting() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> build("src/test/resources/tls/no-such-store.p12", "changeit"));
        assertTrue(refused.getMessage().contains("mailplane.mailaccounts.truststore.path"), refused.getMessage());
        assertTrue(refused.getMessage().contains("no-such-store.p12"), refused.getMessage());
    }

    @Test
    void shouldRefuseADirectoryOrAnUnreadableFileNamingThePathSetting(@TempDir Path dir) throws Exception {
        IllegalStateException directory = assertThrows(IllegalStateException.class, () -> build(dir.toString(), "changeit"));
        assertTrue(directory.getMessage().contains("mailplane.mailaccounts.truststore.path"), directory.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a keystore");
        IllegalStateException unreadable = assertThrows(IllegalStateException.class, () -> build(garbage.toString(), "changeit"));
        assertTrue(unreadable.getMessage().contains("mailplane.mailaccounts.truststore.path"), unreadable.getMessage());
    }

    @Test
    void shouldRefuseAWrongPasswordNamingThePasswordSettingButNotThePassword() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> build(STORE, "Wr0ng-passw0rd"));
        assertTrue(refused.getMessage().contains("mailplane.mailaccounts.truststore.password"), refused.getMessage());
        assertFalse(refused.getMessage().contains("Wr0ng-passw0rd"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> build(STORE, null));
    }

    @Test
    void shouldBuildWithTheRightPasswordOrWithoutATruststore() {
        assertNotNull(build(STORE, "changeit").sockets());
        assertNotNull(build(null, null).sockets());
        assertNotNull(build(" ", null).sockets(), "a blank path means no private truststore");
    }
}
