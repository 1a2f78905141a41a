package io.mailplane.mailaccounts;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.TrustStores;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * Which certificates users' mail servers may present: the JDK's trusted CAs, plus the private
 * CAs of the truststore in {@code mailplane.mailaccounts.truststore.path} (PKCS12, or JKS by a
 * {@code .jks} suffix) opened with {@code mailplane.mailaccounts.truststore.password}.
 * <p>
 * Built once, when the service starts ({@link Startup}): a truststore that is missing, unreadable
 * or has another password fails the boot with a message naming the setting, instead of every
 * verification later.
 */
@Startup
@ApplicationScoped
public class TrustSetup {
    static final String PATH = "mailplane.mailaccounts.truststore.path";
    static final String PASSWORD = "mailplane.mailaccounts.truststore.password";

    private final SSLSocketFactory sockets;

    @Inject
    public TrustSetup(MailplaneConfig root) {
        this(root.mailaccounts().truststore());
    }

    /** Throws {@link IllegalStateException} naming the setting at fault. */
    TrustSetup(MailplaneConfig.MailAccounts.Truststore config) {
        Optional<String> path = config.path().filter(p -> !p.isBlank());
        this.sockets = TrustStores.sockets(path, config.password().orElse(""), PATH, PASSWORD);
    }

    /** TLS sockets that trust the JDK's CAs and the configured private ones; they check no host name themselves. */
    public SSLSocketFactory sockets() {
        return sockets;
    }
}
