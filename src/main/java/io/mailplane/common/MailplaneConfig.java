package io.mailplane.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every Mailplane setting ({@code mailplane.*}), with its default written here and nowhere
 * else. An environment variable sets a setting by its canonical name (upper case, dots and dashes
 * as underscores: {@code MAILPLANE_AUTH_CACHE_TTL} sets {@code mailplane.auth.cache.ttl}); the few
 * older variable names that do not follow that rule are mapped in {@code application.properties}
 * and carry their default there. README's settings table lists them all. Lower bounds of numbers
 * are checked at start by {@link StartupChecks} (not with Bean Validation annotations here, which
 * make Quarkus bootstrap a second validator at start just for the configuration).
 *
 * <p>Over 300 lines on purpose: one mapping for the whole {@code mailplane} prefix keeps every
 * setting's name, default and meaning in one file, the one README's settings table is written
 * from; split per feature, the defaults would be spread over a dozen files.
 */
@ConfigMapping(prefix = "mailplane")
public interface MailplaneConfig {
    Master master();

    Auth auth();

    Sessions sessions();

    Contexts contexts();

    Http http();

    Crypto crypto();

    Lists lists();

    Forwards forwards();

    @WithName("classofservice")
    ClassOfService classOfService();

    MailAccounts mailaccounts();

    Smtp smtp();

    OutboxSettings outbox();

    MailServer mailserver();

    Imap imap();

    // ---- Deploy (issue 16): logs and health of a replica ----
    Log log();

    Health health();

    /** How this replica logs ({@code mailplane.log.*}). */
    interface Log {
        /**
         * One JSON object per console line (MAILPLANE_LOG_JSON), written by {@link JsonLogs} (a JBoss
         * LogManager formatter); the request id is {@code requestId}.
         */
        @WithDefault("false")
        boolean json();
    }

    /** What {@code /q/health/ready} checks besides the database ({@code mailplane.health.*}). */
    interface Health {
        /**
         * Readiness fails when this replica's last successful invalidation poll is older than this:
         * its caches may then answer with passwords and contexts other replicas changed.
         */
        @WithDefault("30S")
        Duration invalidationStaleAfter();
    }

    interface Master {
        /** The master admin's login (MAILPLANE_MASTER_LOGIN). */
        @WithDefault("master")
        String login();

        /** The master admin's password; required in production (MAILPLANE_MASTER_PASSWORD). */
        Optional<String> password();

        /** Whether the master admin may call context and reseller endpoints (MASTER_ACCOUNT_OVERRIDE; default in application.properties). */
        boolean accountOverride();
    }

    interface Auth {
        Cache cache();

        /** bcrypt cost of stored passwords (MAILPLANE_BCRYPT_COST; default in application.properties). */
        int bcryptCost();

        /** How often each replica reads the invalidations other replicas wrote. */
        @WithDefault("1s")
        Duration invalidationPoll();

        Throttle throttle();

        interface Cache {
            @WithDefault("true")
            boolean enabled();

            @WithDefault("60S")
            Duration ttl();

            @WithDefault("10000")
            long maxSize();
        }

        /**
         * Limits on failed logins ({@code mailplane.auth.throttle.*}): each account and each client
         * address may fail this many times per {@link #period()}; the budget refills evenly over the
         * period (one failure every {@code period / failures}).
         */
        interface Throttle {
            /** Whether failed logins are limited at all. */
            @WithDefault("true")
            boolean enabled();

            /** Failures allowed per account (or per unknown login name) in one period. */
            @WithDefault("10")
            long loginFailures();

            /** Failures allowed per client address (IPv6: per /64) in one period; many users may share a NAT. */
            @WithDefault("100")
            long addressFailures();

            /** Failures an address may spend at once; beyond them, at most one per second (bounds its share of the processors). */
            @WithDefault("10")
            long addressBurst();

            /** The period over which the budgets refill. */
            @WithDefault("10M")
            Duration period();

            /** At most this many accounts and this many addresses are tracked (least useful entries go first). */
            @WithDefault("100000")
            long maxEntries();
        }
    }

    interface Sessions {
        /** How long a session token lives. */
        @WithDefault("PT12H")
        Duration ttl();
    }

    interface Contexts {
        /** How long a replica may answer a context lookup from memory. */
        @WithDefault("10S")
        Duration cacheTtl();
    }

    interface Http {
        /** Bodies above this are refused with a problem response; the HTTP layer's own, larger limit backs it up. */
        @WithDefault("1M")
        MemorySize maxBodySize();
    }

    interface Crypto {
        /** The key that encrypts replayable credentials (base64 of 32 bytes); required in production. */
        Optional<String> key();

        /** Earlier keys, still read after a rotation. */
        Optional<List<String>> oldKeys();
    }

    interface Lists {
        @WithDefault("1000")
        int maxEntries();
    }

    interface Forwards {
        @WithDefault("1000")
        int maxRecipients();

        @WithDefault("50000")
        int maxAliases();
    }

    interface ClassOfService {
        @WithDefault("cloud_pim,cloud_productivity,cloud_security,cloud_productivity_security,guard")
        List<String> allowed();
    }

    /**
     * Settings of the external-accounts feature ({@code mailplane.mailaccounts.*}). Known providers
     * for {@code accounts/simple} are keyed by the address's domain, e.g.
     * {@code mailplane.mailaccounts.providers."example.org".server=imap.example.org}.
     */
    interface MailAccounts {
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

        /** MAILPLANE_MAILACCOUNTS_TRUSTSTORE and _PASSWORD (mapped in application.properties). */
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
            String encryption();

            String smtpServer();

            Optional<Integer> smtpPort();

            @WithDefault("SSL")
            String smtpEncryption();

            /** How the login is formed from the address: {@code email} or {@code local-part}. */
            @WithDefault("email")
            String login();
        }
    }

    /**
     * The SMTP relay that notification mails go to ({@code mailplane.smtp.*}, MAILPLANE_SMTP_HOST, _PORT,
     * _TLS, _USER, _PASSWORD, _FROM). A brand's sender overrides {@link #from()}:
     * {@code mailplane.smtp.brand-from."<brand>"=Brand <noreply@brand.example>} (a sub-brand without
     * its own uses its nearest ancestor's).
     */
    interface Smtp {
        @WithDefault("localhost")
        String host();

        @WithDefault("25")
        int port();

        /** {@code none}, {@code starttls} (required, not opportunistic) or {@code ssl} (implicit TLS). */
        @WithDefault("none")
        Tls tls();

        /** Login at the relay; no AUTH without it. */
        Optional<String> user();

        /** Never logged, never shown. */
        Optional<String> password();

        /** The sender of mails whose brand has no sender of its own; its domain names the Message-IDs. */
        @WithDefault("mailplane@localhost")
        String from();

        /** Senders by brand name. */
        Map<String, String> brandFrom();

        @WithDefault("10S")
        Duration connectTimeout();

        /** Bound on each wait for the relay's answer (and each write to it). */
        @WithDefault("30S")
        Duration readTimeout();

        enum Tls {
            NONE, STARTTLS, SSL
        }
    }

    /**
     * The outbox worker ({@code mailplane.outbox.*}): every replica polls the outbox, claims a batch
     * of due mails for {@link #lease()}, sends them and records the outcome; a failed attempt is
     * retried after {@code backoff-base * 2^(attempts-1)} (at most {@link #backoffMax()}) until
     * {@link #maxAttempts()} attempts failed, then the mail is {@code failed} and kept.
     */
    interface OutboxSettings {
        /** Whether this replica sends mails at all (mails are queued either way). */
        @WithDefault("true")
        boolean enabled();

        /** How often the worker looks for due mails (it also wakes when a mail is queued on this replica). */
        @WithDefault("1S")
        Duration pollInterval();

        /** At most this many mails per claim, sent over one SMTP connection. */
        @WithDefault("50")
        int batchSize();

        @WithDefault("10")
        int maxAttempts();

        @WithDefault("30S")
        Duration backoffBase();

        @WithDefault("1H")
        Duration backoffMax();

        /**
         * How long a claimed batch belongs to its worker; after that (a replica died mid-batch) another
         * replica sends it again, with the same Message-ID. Must exceed a whole batch's sending time.
         */
        @WithDefault("10M")
        Duration lease();

        /** How often the outbox depth gauges are recounted. */
        @WithDefault("15S")
        Duration depthRefresh();
    }

    /**
     * The IMAP server that mail statistics read users' mailboxes from ({@code mailplane.imap.*},
     * MAILPLANE_IMAP_HOST, _PORT, _TLS, MAILPLANE_IMAP_MASTER_USER, MAILPLANE_IMAP_MASTER_PASSWORD). The
     * service logs in as {@code <primary address><separator><master-user>} with the master password
     * (a Dovecot master user), so it needs no user's password.
     */
    interface Imap {
        @WithDefault("localhost")
        String host();

        @WithDefault("143")
        int port();

        /** {@code none}, {@code starttls} (required, not opportunistic) or {@code ssl} (implicit TLS). */
        @WithDefault("none")
        Smtp.Tls tls();

        /**
         * Private CAs the IMAP server's certificate may be signed by, besides the JDK's
         * ({@code mailplane.imap.truststore.path}, PKCS12 or {@code .jks}; {@code .password}).
         * Read at start-up when {@code tls} is not {@code none}; a bad store stops the service.
         */
        MailAccounts.Truststore truststore();

        /** The Dovecot master user; without it every statistics request answers 502 MAIL_SERVER_UNAVAILABLE. */
        Optional<String> masterUser();

        /** Never logged, never shown. */
        Optional<String> masterPassword();

        /** Dovecot's {@code auth_master_user_separator}. */
        @WithDefault("*")
        String masterSeparator();

        /** Bound on establishing the connection (a server that is down: 502 within it). */
        @WithDefault("5S")
        Duration connectTimeout();

        /** Bound on each wait for the server's answer (a server that never answers: 504 within it). */
        @WithDefault("10S")
        Duration readTimeout();

        /** Bound on one whole conversation (login to logout), whatever the server drips. */
        @WithDefault("30S")
        Duration conversationTimeout();

        /** At most this many IMAP conversations at once on one replica; each holds a worker thread. */
        @WithDefault("16")
        int maxConcurrent();

        /** How long a request waits for a free place before it is refused (503 with {@code Retry-After}). */
        @WithDefault("500MS")
        Duration queueWait();

        /**
         * How long a logged-in session may wait for the next statistics request of the same mailbox
         * before it is logged out (MAILPLANE_IMAP_SESSION_IDLE); a reused session spares Dovecot a
         * login. {@code 0} disables reuse: one login per request.
         */
        @WithDefault("30S")
        Duration sessionIdle();

        /**
         * At most this many logged-in sessions wait for reuse on one replica, over all mailboxes
         * (MAILPLANE_IMAP_SESSION_MAX_IDLE); beyond it the longest idle is logged out. {@code 0}
         * disables reuse.
         */
        @WithDefault("64")
        int sessionMaxIdle();
    }

    /** What the mail servers read (issue 13): mail users' {@code {ARGON2ID}} hashes, verified by Dovecot. */
    interface MailServer {
        /** Argon2id memory of a mail user's hash, KiB (OWASP's minimum, 19 MiB); Dovecot spends it on every login. */
        @WithDefault("19456")
        int argon2MemoryKib();

        /** Argon2id passes of a mail user's hash. */
        @WithDefault("2")
        int argon2Passes();
    }
}
