package io.mailplane.mailaccounts;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.mailaccounts.ServerSettings.Side;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.Session;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jboss.logging.Logger;

/**
 * Proves that a server accepts the given settings by logging in with Jakarta Mail: an IMAP or
 * POP3 store, or an SMTP transport. Connect and read timeouts are bounded; certificates and
 * host names are always checked, against the CAs of the {@link TrustSetup}.
 * Unless private networks are allowed, the sockets refuse internal addresses, judged on the
 * address actually connected ({@link GuardedSockets}).
 * A failure is a 400 {@code MAIL_VERIFICATION_FAILED} naming the side, the phase
 * ({@code connect}, {@code tls}, {@code auth}) and what the server replied.
 */
@ApplicationScoped
public class MailVerifier {
    private static final Logger LOG = Logger.getLogger(MailVerifier.class);
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final boolean allowPrivateNetworks;
    private final SSLSocketFactory sslSockets;
    private final MeterRegistry meters;

    @jakarta.inject.Inject
    public MailVerifier(MailplaneConfig root, TrustSetup trust, MeterRegistry meters) {
        this(root.mailaccounts(), trust, meters);
    }

    /** A verifier with its own trust setup, built from {@code config} (unit tests). */
    MailVerifier(MailplaneConfig.MailAccounts config) {
        this(config, new TrustSetup(config.truststore()), Metrics.globalRegistry);
    }

    private MailVerifier(MailplaneConfig.MailAccounts config, TrustSetup trust, MeterRegistry meters) {
        this.meters = meters;
        this.connectTimeout = config.connectTimeout();
        this.readTimeout = config.readTimeout();
        this.allowPrivateNetworks = config.allowPrivateNetworks();
        this.sslSockets = trust.sockets();
    }

    /**
     * Logs in and out again; throws {@link ApiException} describing the first failure. Each call is
     * timed as {@code mailplane_mailaccounts_verification_seconds{side, phase, outcome}}: phase
     * {@code login} and outcome {@code success}, or the failure's phase and outcome {@code failure}.
     */
    public void verify(ServerSettings s) {
        Timer.Sample sample = Timer.start();
        String phase = "login";
        String outcome = "failure";
        try {
            verifyOnce(s);
            outcome = "success";
        } catch (ApiException e) {
            phase = e.details == null ? "connect" : e.details.getOrDefault("phase", "connect");
            throw e;
        } finally {
            sample.stop(Timer.builder("mailplane.mailaccounts.verification")
                    .description("Verifications of users' mail-server settings (a login at their server)")
                    .tag("side", s.side().name()).tag("phase", phase).tag("outcome", outcome)
                    .register(meters));
        }
    }

    private void verifyOnce(ServerSettings s) {
        String address = resolve(s).getHostAddress();
        Deadline deadline = new Deadline();
        Session session = session(s, deadline);
        Duration total = connectTimeout.plus(readTimeout.multipliedBy(2));
        ScheduledFuture<?> watchdog = deadline.start(total);
        try {
            login(s, session, address);
        } catch (ApiException e) {
            if (deadline.expired) {
                throw failure(s, "connect", "the server did not complete the login within " + total.toSeconds() + " s", null);
            }
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    /**
     * The Jakarta Mail session of one verification: its sockets are tracked for the deadline and
     * guarded by the host policy, with no fallback to unguarded ones.
     */
    Session session(ServerSettings s, Deadline deadline) {
        Properties props = properties(s);
        String p = "mail." + s.side().protocol + ".";
        props.put(p + "socketFactory", GuardedSockets.plain(deadline, allowPrivateNetworks));
        props.put(p + "ssl.socketFactory", GuardedSockets.tls(sslSockets, deadline, allowPrivateNetworks, s.host()));
        // by default Jakarta Mail retries with an unguarded java.net.Socket when the factory's socket fails to connect
        props.put(p + "socketFactory.fallback", "false");
        return Session.getInstance(props);
    }

    /**
     * Resolves the server's name once: the connection goes to this address, given as a literal,
     * so no later lookup can answer differently (DNS rebinding). Unless private networks are
     * allowed, a name with any internal address is refused before anything connects.
     */
    private InetAddress resolve(ServerSettings s) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(s.host());
        } catch (UnknownHostException e) {
            throw failure(s, "connect", "unknown host " + s.host(), null);
        }
        for (InetAddress address : addresses) {
            if (!allowPrivateNetworks && HostPolicy.isInternal(address)) {
                throw failure(s, "connect", PRIVATE_NETWORK, null);
            }
        }
        return addresses[0];
    }

    private static final String PRIVATE_NETWORK = "the server is on a private or local network, which this service does not reach";

    /** Logs in at {@code address} (the resolved literal of the server's name). */
    private void login(ServerSettings s, Session session, String address) {
        String secret = s.authenticate() ? s.secret() : null;
        String login = s.authenticate() ? s.login() : null;
        try {
            if (s.side() == Side.SMTP) {
                try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
                    transport.connect(address, s.port(), login, secret);
                    if (s.authenticate() && !transport.supportsExtension("AUTH")) {
                        throw failure(s, "auth", "the server offers no authentication", null);
                    }
                }
            } else {
                // Angus falls back to a plain IMAP LOGIN when the chosen mechanism is not on offer: that would send the
                // token (OAuth2) or the password (CRAM-MD5) in the clear, so the mechanism is checked before logging in
                Store opened = s.side() == Side.IMAP && (s.auth() == AuthType.OAuth2 || s.auth() == AuthType.CramMd5)
                        ? session.getStore(new jakarta.mail.Provider(jakarta.mail.Provider.Type.STORE, "imap",
                                MechanismOnlyImapStore.class.getName(), "Mailplane", "1"))
                        : session.getStore(s.side().protocol);
                try (Store store = opened) {
                    store.connect(address, s.port(), login, secret);
                }
            }
        } catch (MessagingException e) {
            throw classify(s, e);
        }
    }

    private Properties properties(ServerSettings s) {
        String p = "mail." + s.side().protocol + ".";
        Properties props = new Properties();
        props.put(p + "connectiontimeout", String.valueOf(connectTimeout.toMillis()));
        props.put(p + "timeout", String.valueOf(readTimeout.toMillis()));
        props.put(p + "writetimeout", String.valueOf(readTimeout.toMillis()));
        // the connection goes to an address literal: the certificate is checked against the server's name by
        // GuardedSockets' TLS layer (JDK endpoint identification) instead of against that literal by Jakarta Mail
        props.put(p + "ssl.checkserveridentity", "false");
        props.put(p + "ssl.enable", String.valueOf(s.encryption() == Encryption.SSL));
        props.put(p + "starttls.enable", String.valueOf(s.encryption() == Encryption.StartTLS));
        props.put(p + "starttls.required", String.valueOf(s.encryption() == Encryption.StartTLS));
        if (s.side() == Side.SMTP) {
            props.put(p + "auth", String.valueOf(s.authenticate()));
            props.put(p + "localhost", "mailplane.invalid");
            props.put(p + "quitwait", "false");
        }
        switch (s.auth()) {
            case OAuth2 -> {
                props.put(p + "auth.mechanisms", "XOAUTH2");
                props.put(p + "auth.xoauth2.disable", "false");
                props.put(p + "auth.login.disable", "true");
                props.put(p + "auth.plain.disable", "true");
            }
            case CramMd5 -> {
                props.put(p + "sasl.enable", "true");
                props.put(p + "sasl.mechanisms", "CRAM-MD5");
                props.put(p + "auth.mechanisms", "CRAM-MD5");
                props.put(p + "auth.login.disable", "true");
                props.put(p + "auth.plain.disable", "true");
            }
            case None, Login -> props.put(p + "auth.mechanisms", "PLAIN LOGIN");
        }
        return props;
    }

    private ApiException classify(ServerSettings s, MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return failure(s, "auth", "the server refused the login", e.getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GuardedSockets.InternalAddressException) {
                return failure(s, "connect", PRIVATE_NETWORK, null);
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return failure(s, "tls", "the TLS handshake failed: " + t.getMessage(), null);
            }
            if (t instanceof SocketTimeoutException) {
                return failure(s, "connect", "the server did not answer within " + readTimeout.toSeconds() + " s", null);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return failure(s, "connect", "the connection was refused", null);
            }
            if (t instanceof UnknownHostException) {
                return failure(s, "connect", "unknown host " + s.host(), null);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("STARTTLS")) {
            return failure(s, "tls", "the server does not offer STARTTLS", null);
        }
        if (s.auth() == AuthType.CramMd5 || s.auth() == AuthType.OAuth2) {
            if (message.toLowerCase().contains("mechanism") || message.toLowerCase().contains("authenticat")) {
                return failure(s, "auth", "the server does not accept " + s.auth() + " authentication", message);
            }
        }
        LOG.debugf("verification of %s failed: %s", s, message);
        return failure(s, "connect", "the server's answer was not usable", message);
    }

    private ApiException failure(ServerSettings s, String phase, String reason, String reply) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("side", s.side().name());
        details.put("phase", phase);
        details.put("server", s.host() + ":" + s.port());
        if (reply != null && !reply.isBlank()) {
            details.put("reply", scrub(reply, s.secret()));
        }
        return new ApiException(ErrorCode.MAIL_VERIFICATION_FAILED,
                s.side() + " " + phase + " failed: " + scrub(reason, s.secret()) + ".", java.util.List.of(), details);
    }

    /** A server reply as plain, short, single-line text that never echoes the secret. */
    static String scrub(String text, String secret) {
        String out = text.replaceAll("[\\p{Cntrl}]+", " ").replaceAll("<[^>]*>", "").trim();
        if (secret != null && secret.length() >= 3) {
            out = out.replace(secret, "***");
        }
        return out.length() > 300 ? out.substring(0, 300) + "…" : out;
    }

    /** An IMAP store that refuses to log in unless the server offers the one configured mechanism (checked before any credential is sent). */
    public static final class MechanismOnlyImapStore extends IMAPStore {
        private final String mechanism;

        public MechanismOnlyImapStore(Session session, jakarta.mail.URLName url) {
            super(session, url);
            this.mechanism = session.getProperty("mail.imap.auth.mechanisms");
        }

        @Override
        protected void preLogin(org.eclipse.angus.mail.imap.protocol.IMAPProtocol p) throws org.eclipse.angus.mail.iap.ProtocolException {
            if (mechanism == null || !p.hasCapability("AUTH=" + mechanism)) {
                throw new org.eclipse.angus.mail.iap.ProtocolException("the server does not offer the " + mechanism + " authentication mechanism");
            }
        }
    }
}
