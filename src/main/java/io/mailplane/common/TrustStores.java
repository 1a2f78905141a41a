package io.mailplane.common;

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
 * TLS sockets that trust the JDK's CAs plus the private CAs of a truststore file (PKCS12, or JKS by
 * a {@code .jks} suffix), for the mail servers Mailplane talks to: users' own servers
 * ({@code mailplane.mailaccounts.truststore.*}) and the platform's Dovecot
 * ({@code mailplane.imap.truststore.*}). A store that is missing, unreadable or has another
 * password is an {@link IllegalStateException} naming the setting at fault.
 */
public final class TrustStores {
    private TrustStores() {
    }

    /** Sockets that check no host name themselves (the mail client does); {@code pathSetting} and {@code passwordSetting} name the settings in messages. */
    public static SSLSocketFactory sockets(Optional<String> path, String password, String pathSetting, String passwordSetting) {
        try {
            X509TrustManager system = trustManager(null);
            X509TrustManager combined = path.isEmpty() ? system : new Either(trustManager(load(path.get(), password, pathSetting, passwordSetting)), system);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {combined}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the truststore (" + pathSetting + ") cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String path, String password, String pathSetting, String passwordSetting) throws GeneralSecurityException {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException("the truststore " + pathSetting + "=" + path + " is not a readable file");
        }
        KeyStore store = KeyStore.getInstance(path.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalStateException("the truststore " + pathSetting + "=" + path
                        + " does not open with the password in " + passwordSetting, e);
            }
            throw new IllegalStateException("the truststore " + pathSetting + "=" + path + " cannot be read: " + e.getMessage(), e);
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
