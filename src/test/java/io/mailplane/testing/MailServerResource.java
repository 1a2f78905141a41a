package io.mailplane.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts {@link MailServers} before the service and points the provider table of
 * {@code accounts/simple} at it: {@code provider.example.org} is served by its IMAPS and SMTPS.
 * The relay of notification mails ({@code mailplane.smtp.*}) is its plain SMTP.
 */
public class MailServerResource implements QuarkusTestResourceLifecycleManager {
    public static final String PROVIDER_DOMAIN = "provider.example.org";

    @Override
    public Map<String, String> start() {
        MailServers.get();
        String p = "mailplane.mailaccounts.providers.\"" + PROVIDER_DOMAIN + "\".";
        return Map.of(p + "server", MailServers.HOST, p + "port", String.valueOf(MailServers.imaps()), p + "encryption", "SSL",
                p + "smtp-server", MailServers.HOST, p + "smtp-port", String.valueOf(MailServers.smtps()), p + "smtp-encryption", "SSL",
                "mailplane.smtp.host", MailServers.HOST, "mailplane.smtp.port", String.valueOf(MailServers.smtp()));
    }

    @Override
    public void stop() {
        // the servers live as long as the test JVM
    }
}
