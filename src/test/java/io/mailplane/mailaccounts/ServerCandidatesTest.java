package io.mailplane.mailaccounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.mailaccounts.ServerCandidates.Learned;
import io.mailplane.mailaccounts.ServerSettings.Side;
import io.mailplane.testing.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server settings accounts/simple tries, and the provider table that is checked when the service starts. */
class ServerCandidatesTest {
    static final String P = "mailplane.mailaccounts.providers.\"provider.example\".";

    static ServerCandidates candidates(Map<String, String> settings) {
        return new ServerCandidates(Settings.of(settings).mailaccounts());
    }

    /** A provider serving IMAPS and SMTPS on explicit ports, plus any further settings. */
    static Map<String, String> provider(String... kv) {
        Map<String, String> out = new HashMap<>(Map.of(P + "server", "imap.provider.example", P + "port", "1993",
                P + "smtp-server", "smtp.provider.example", P + "smtp-port", "1465"));
        for (int i = 0; i < kv.length; i += 2) {
            out.put(P + kv[i], kv[i + 1]);
        }
        return out;
    }

    static Learned learned(String server, boolean fullLogin) {
        return new Learned(true, server, 993, Encryption.SSL, "smtp." + server, 465, Encryption.SSL, fullLogin);
    }

    static Stream<Arguments> badEncryptions() {
        return Stream.of(
                Arguments.of("encryption", "ssl"),
                Arguments.of("encryption", "TLS"),
                Arguments.of("encryption", "Ssl"),
                Arguments.of("smtp-encryption", "STARTTLS"),
                Arguments.of("smtp-encryption", "1"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badEncryptions")
    void shouldRefuseToStartWithAProviderEncryptionThatIsNotAnEncryptionName(String setting, String value) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> candidates(provider(setting, value)));
        assertTrue(refused.getMessage().contains(P + setting), refused.getMessage());
        assertTrue(refused.getMessage().contains("None, SSL, StartTLS"), refused.getMessage());
    }

    @Test
    void shouldStartWithEveryEncryptionName() {
        for (Encryption in : Encryption.values()) {
            for (Encryption out : Encryption.values()) {
                AccountDraft d = candidates(provider("encryption", in.name(), "smtp-encryption", out.name()))
                        .of("jo@provider.example", "pw", List.of()).get(0);
                assertEquals(List.of(in, out), List.of(d.in().encryption(), d.smtp().encryption()));
            }
        }
    }

    @Test
    void shouldTryTheProviderFirstThenWhatWasLearnedInTheOrderGiven() {
        List<AccountDraft> tries = candidates(provider()).of("jo@provider.example", "pw",
                List.of(learned("b.example", true), learned("a.example", true)));
        assertEquals(List.of("imap.provider.example", "b.example", "a.example"), tries.stream().map(d -> d.in().host()).toList());
        AccountDraft first = tries.get(0);
        assertEquals(new ServerSettings(Side.IMAP, "imap.provider.example", 1993, "jo@provider.example", "pw", Encryption.SSL,
                AuthType.Login, true), first.in());
        assertEquals(new ServerSettings(Side.SMTP, "smtp.provider.example", 1465, "jo@provider.example", "pw", Encryption.SSL,
                AuthType.Login, true), first.smtp());
        assertTrue(tries.stream().allMatch(d -> d.name() == null && d.restrict() && d.baseVersion() == null));
    }

    @Test
    void shouldTryLearnedSettingsTheProviderAlreadyCoversOnlyOnce() {
        Learned same = new Learned(true, "imap.provider.example", 1993, Encryption.SSL, "smtp.provider.example", 1465, Encryption.SSL, true);
        Learned localPart = new Learned(true, "imap.provider.example", 1993, Encryption.SSL, "smtp.provider.example", 1465, Encryption.SSL, false);
        List<AccountDraft> tries = candidates(provider()).of("jo@provider.example", "pw", List.of(same, learned("x.example", true), localPart));
        assertEquals(List.of("jo@provider.example", "jo@provider.example", "jo"), tries.stream().map(d -> d.in().login()).toList());
        assertEquals(List.of("imap.provider.example", "x.example", "imap.provider.example"), tries.stream().map(d -> d.in().host()).toList());
    }

    @Test
    void shouldUseTheDefaultPortsLoginFormAndProtocolAProviderSets() {
        Map<String, String> pop = new HashMap<>(Map.of(P + "server", "pop.provider.example", P + "smtp-server", "smtp.provider.example",
                P + "imap", "false", P + "encryption", "StartTLS", P + "smtp-encryption", "None", P + "login", "local-part"));
        AccountDraft d = candidates(pop).of("jo@provider.example", "pw", List.of()).get(0);
        assertEquals(new ServerSettings(Side.POP3, "pop.provider.example", 110, "jo", "pw", Encryption.StartTLS, AuthType.Login, true), d.in());
        assertEquals(587, d.smtp().port());
        assertEquals("jo", d.smtp().login());
        assertEquals(false, d.imap());
        AccountDraft ssl = candidates(Map.of(P + "server", "imap.provider.example", P + "smtp-server", "smtp.provider.example"))
                .of("jo@provider.example", "pw", List.of()).get(0);
        assertEquals(List.of(993, 465, Encryption.SSL, Encryption.SSL),
                List.of(ssl.in().port(), ssl.smtp().port(), ssl.in().encryption(), ssl.smtp().encryption()), "SSL by default");
    }

    @Test
    void shouldKnowNothingForADomainWithoutProviderOrLearnedSettings() {
        assertEquals(List.of(), candidates(provider()).of("jo@elsewhere.example", "pw", List.of()));
        assertEquals(List.of("x.example"), candidates(Map.of()).of("jo@elsewhere.example", "pw", List.of(learned("x.example", false)))
                .stream().map(d -> d.in().host()).toList());
    }
}
