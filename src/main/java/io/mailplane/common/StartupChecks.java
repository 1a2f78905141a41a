package io.mailplane.common;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start a production service without a master password or an encryption key, and any
 * service whose numeric settings are below their lower bounds.
 */
public class StartupChecks {
    /** Early (after {@link JsonLogs}), so a bad setting is reported before beans that use it start. */
    void check(@Observes @Priority(2) StartupEvent event,
               MailplaneConfig config,
               SecretBox secrets) {
        List<String> low = belowMinimum(config);
        if (!low.isEmpty()) {
            throw new IllegalStateException("Settings below their minimum: " + String.join("; ", low));
        }
        if (LaunchMode.current() == LaunchMode.NORMAL && !secrets.configured()) {
            throw new IllegalStateException("MAILPLANE_CRYPTO_KEY must be set to run Mailplane in production (openssl rand -base64 32)");
        }
        if (LaunchMode.current() == LaunchMode.NORMAL && config.master().password().filter(p -> !p.isBlank()).isEmpty()) {
            throw new IllegalStateException("MAILPLANE_MASTER_PASSWORD must be set to run Mailplane in production");
        }
    }

    /** The numeric settings below their lower bound, each as "property must be at least n (is m)". */
    static List<String> belowMinimum(MailplaneConfig config) {
        List<String> low = new ArrayList<>();
        MailplaneConfig.Auth.Throttle throttle = config.auth().throttle();
        atLeast(low, "mailplane.auth.throttle.login-failures", throttle.loginFailures(), 1);
        atLeast(low, "mailplane.auth.throttle.address-failures", throttle.addressFailures(), 1);
        atLeast(low, "mailplane.auth.throttle.address-burst", throttle.addressBurst(), 1);
        atLeast(low, "mailplane.auth.throttle.max-entries", throttle.maxEntries(), 1);
        atLeast(low, "mailplane.outbox.batch-size", config.outbox().batchSize(), 1);
        atLeast(low, "mailplane.outbox.max-attempts", config.outbox().maxAttempts(), 1);
        atLeast(low, "mailplane.imap.max-concurrent", config.imap().maxConcurrent(), 1);
        atLeast(low, "mailplane.mailserver.argon2-memory-kib", config.mailserver().argon2MemoryKib(), 8);
        atLeast(low, "mailplane.mailserver.argon2-passes", config.mailserver().argon2Passes(), 1);
        return low;
    }

    private static void atLeast(List<String> low, String property, long value, long minimum) {
        if (value < minimum) {
            low.add(property + " must be at least " + minimum + " (is " + value + ")");
        }
    }
}
