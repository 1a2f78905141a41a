package io.mailplane.mailaccounts;

import io.mailplane.common.MailplaneConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

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
        this.sockets = sockets(path, config.password().orElse(""));
    }

    /** TLS sockets that trust the JDK's CAs and the configured private ones; they check no host name themselves. */
    public SSLSocketFactory sockets() {
        return sockets;
    }

    private static SSLSocketFactory sockets(Optional<String> path, String password) {
        try {
            X509TrustManager system = trustManager(null);
            X509TrustManager combined = path.isEmpty() ? system : new Either(trustManager(load(path.get(), password)), system);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {combined}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the mail truststore (" + PATH + ") cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String path, String password) throws GeneralSecurityException {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException("the mail truststore " + PATH + "=" + path + " is not a readable file");
        }
        KeyStore store = KeyStore.getInstance(path.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalStateException("the mail truststore " + PATH + "=" + path
                        + " does not open with the password in " + PASSWORD, e);
            }
            throw new IllegalStateException("the mail truststore " + PATH + "=" + path + " cannot be read: " + e.getMessage(), e);
        }
        return store;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    /** Trusts a chain when either manager does. */
    private record Either(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = first.getAcceptedIssuers();
            X509Certificate[] b = second.getAcceptedIssuers();
            X509Certificate[] all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
