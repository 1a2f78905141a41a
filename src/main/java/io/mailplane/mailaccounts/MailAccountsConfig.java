package io.mailplane.mailaccounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the external-accounts feature ({@code mailplane.mailaccounts.*}). Known providers
 * for {@code accounts/simple} are keyed by the address's domain, e.g.
 * {@code mailplane.mailaccounts.providers."example.org".server=imap.example.org}.
 */
@ConfigMapping(prefix = "mailplane.mailaccounts")
public interface MailAccountsConfig {
    /** At most this many external accounts per user. */
    @WithDefault("20")
    int maxPerUser();

    /** Bound on establishing a connection to a user's mail server. */
    @WithDefault("10S")
    Duration connectTimeout();

    /** Bound on each wait for a mail server's answer. */
    @WithDefault("10S")
    Duration readTimeout();

    /** Whether users may point the service at loopback, private or link-local addresses. */
    @WithDefault("false")
    boolean allowPrivateNetworks();

    /** Private CAs (PKCS12, or JKS by a {@code .jks} suffix), trusted besides the JDK's CAs. */
    Truststore truststore();

    Map<String, Provider> providers();

    /** How many verifications (logins at users' mail servers) may run at once on one replica. */
    Verify verify();

    interface Verify {
        /**
         * At most this many saves, updates, enables or {@code accounts/simple} calls of this replica
         * talk to mail servers at the same time; each occupies a worker thread for up to two full
         * verification timeouts (connect + 2 reads, per side).
         */
        @WithDefault("16")
        int concurrency();

        /** How long a verification may wait for a free place before it is refused (503 with {@code Retry-After}). */
        @WithDefault("1S")
        Duration queueWait();

        /** The {@code Retry-After} given with that refusal (whole seconds, at least 1). */
        @WithDefault("5S")
        Duration retryAfter();
    }

    interface Truststore {
        Optional<String> path();

        Optional<String> password();
    }

    interface Provider {
        @WithDefault("true")
        boolean imap();

        String server();

        Optional<Integer> port();

        @WithDefault("SSL")
        Encryption encryption();

        String smtpServer();

        Optional<Integer> smtpPort();

        @WithDefault("SSL")
        Encryption smtpEncryption();

        /** How the login is formed from the address: {@code email} or {@code local-part}. */
        @WithDefault("email")
        String login();
    }
}
