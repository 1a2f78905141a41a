package io.mailplane.mailstats;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Shared by the MailStatsOver*Test classes: mail statistics over TLS to the test stack's Dovecot, whose certificate is signed by a CA the
 * JDK does not know: with that CA in {@code mailplane.imap.truststore} implicit TLS and STARTTLS
 * both read the mailbox (and Dovecot logs the login as TLS); without it the handshake fails and
 * the answer is 502 MAIL_SERVER_ERROR, never a plain-text fallback.
 */
final class TlsStatistics {
    private TlsStatistics() {
    }

    /**
     * The stack's IMAP in {@code mode} on {@code port} (null: the plain IMAP port), with the stack's CA trusted when
     * {@code trusted}. Values are expressions on what {@link io.mailplane.testing.MailStackImapResource}
     * exports: a profile runs in another class loader, where {@code MailStack.get()} would start a second stack.
     */
    static Map<String, String> imap(String mode, String port, boolean trusted) {
        Map<String, String> settings = new HashMap<>(Map.of("mailplane.imap.tls", mode));
        if (port != null) {
            settings.put("mailplane.imap.port", port);
        }
        if (trusted) {
            settings.put("mailplane.imap.truststore.path", "${mailstack.truststore.path}");
            settings.put("mailplane.imap.truststore.password", "${mailstack.truststore.password}");
        }
        return settings;
    }

    /**
     * Implicit TLS, and no reuse of logged-in sessions ({@code session-max-idle=0}): the profile
     * of {@link MailStatsWithoutSessionReuseTest} too, since every profile costs the suite a
     * service build and start.
     */
    public static class ImplicitTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> settings = new HashMap<>(imap("ssl", "${mailstack.imaps-port}", true));
            settings.put("mailplane.imap.session-max-idle", "0");
            return settings;
        }
    }

    public static class StartTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return imap("starttls", null, true);
        }
    }

    public static class UntrustedCa implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return imap("starttls", null, false);
        }
    }

    /** A new user's statistics path and the brand's tenant credentials that may read it. */
    record Reader(String address, String path, String login, String password) {
    }

    static Reader reader() {
        ContextRef context = Fixtures.context();
        String address = Fixtures.unique("tls") + "@" + context.domain();
        int id = Fixtures.as(context).body(Map.of("name", address, "password", Fixtures.secret(), "displayName", "TLS reader",
                        "primaryEmail", address, "quotaMb", 50))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id()).then().statusCode(201).extract().jsonPath().getInt("id");
        String login = Fixtures.unique("tenant");
        String password = Fixtures.secret();
        Fixtures.as(context.reseller()).body(Map.of("login", login, "password", password))
                .put("/oxaas/v1/admin/resellers/{id}/tenant", context.reseller().id()).then().statusCode(204);
        return new Reader(address, "/oxaas/v1/mail/" + id + "@" + context.id() + "/quota", login, password);
    }

    /** Whether Dovecot logged a TLS login of the master user into the mailbox of {@code address}. */
    static boolean dovecotLoggedTlsLoginOf(String address) throws IOException {
        return Files.readAllLines(Path.of("target/mailstack/dovecot/dovecot.log")).stream()
                .anyMatch(l -> l.contains("Login: user=<" + address.toLowerCase() + ">") && l.contains(", TLS"));
    }
}
