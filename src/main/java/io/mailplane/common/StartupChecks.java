package io.mailplane.common;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Refuses to start a production service without a master password. */
public class StartupChecks {
    void check(@Observes StartupEvent event,
               @ConfigProperty(name = "mailplane.master.password") Optional<String> masterPassword) {
        if (LaunchMode.current() == LaunchMode.NORMAL && masterPassword.filter(p -> !p.isBlank()).isEmpty()) {
            throw new IllegalStateException("MAILPLANE_MASTER_PASSWORD must be set to run Mailplane in production");
        }
    }
}
