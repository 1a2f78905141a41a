package io.mailplane.common;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/** Refuses to start a production service without a master password or an encryption key. */
public class StartupChecks {
    void check(@Observes StartupEvent event,
               MailplaneConfig config,
               SecretBox secrets) {
        if (LaunchMode.current() == LaunchMode.NORMAL && !secrets.configured()) {
            throw new IllegalStateException("MAILPLANE_CRYPTO_KEY must be set to run Mailplane in production (openssl rand -base64 32)");
        }
        if (LaunchMode.current() == LaunchMode.NORMAL && config.master().password().filter(p -> !p.isBlank()).isEmpty()) {
            throw new IllegalStateException("MAILPLANE_MASTER_PASSWORD must be set to run Mailplane in production");
        }
    }
}
