package io.mailplane.mailaccounts;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.testing.Settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import io.mailplane.mailaccounts.ServerSettings.Side;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host policy holds for the address a verification actually connects to, not for an
 * earlier lookup of the name: DNS rebinding (a name that answers a public address to the check
 * and an internal one to the connection) is modelled without DNS by an address that carries a
 * public-looking name and an internal address, which is exactly what the second lookup yields.
 */
class GuardedSocketsTest {
    /** What a rebinding name server answers on the lookup made for the connection. */
    static InetAddress rebound() throws IOException {
        return InetAddress.getByAddress("mail.rebinding.example", new byte[] {127, 0, 0, 1});
    }

    /** A listener on 127.0.0.1 that can tell whether anything but a control connection reached it. */
    static final class Listener implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));

        Listener() throws IOException {
            server.setSoTimeout(5000);
        }

        int port() {
            return server.getLocalPort();
        }

        /**
         * Connects a control client and accepts the first queued connection: it is the control
         * client exactly when no earlier attempt got through (connections are accepted in order).
         */
        boolean reachedByNothingElse() throws IOException {
            try (Socket control = new Socket()) {
                control.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port()), 5000);
                try (Socket first = server.accept()) {
                    return first.getPort() == control.getLocalPort();
                }
            }
        }

        /** Accepts the first queued connection and answers whether its client hung up without sending a byte. */
        boolean receivedNothing() throws IOException {
            try (Socket first = server.accept()) {
                first.setSoTimeout(5000);
                return first.getInputStream().read() == -1;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    enum Kind { PLAIN, TLS }

    static SocketFactory factory(Kind kind, boolean allowPrivateNetworks) {
        Deadline deadline = new Deadline();
        return kind == Kind.PLAIN ? GuardedSockets.plain(deadline, allowPrivateNetworks)
                : GuardedSockets.tls((SSLSocketFactory) SSLSocketFactory.getDefault(), deadline, allowPrivateNetworks, "mail.rebinding.example");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseToConnectWhenTheNameNowResolvesToAnInternalAddress(Kind kind) throws Exception {
        try (Listener listener = new Listener(); Socket socket = factory(kind, false).createSocket()) {
            InetSocketAddress target = new InetSocketAddress(rebound(), listener.port());
            assertThrows(GuardedSockets.InternalAddressException.class, () -> socket.connect(target, 2000));
            assertThrows(GuardedSockets.InternalAddressException.class, () -> socket.connect(target));
            assertTrue(listener.reachedByNothingElse(), "no connection reached the internal address");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseConnectedSocketsToInternalAddressesInEveryForm(Kind kind) throws Exception {
        SocketFactory sockets = factory(kind, false);
        try (Listener listener = new Listener()) {
            assertThrows(GuardedSockets.InternalAddressException.class, () -> sockets.createSocket("127.0.0.1", listener.port()));
            assertThrows(GuardedSockets.InternalAddressException.class, () -> sockets.createSocket(rebound(), listener.port()));
            assertThrows(GuardedSockets.InternalAddressException.class,
                    () -> sockets.createSocket(rebound(), listener.port(), InetAddress.getByName("127.0.0.1"), 0));
            assertTrue(listener.reachedByNothingElse(), "no connection reached the internal address");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldConnectToInternalAddressesWhenTheOperatorAllowsPrivateNetworks(Kind kind) throws Exception {
        try (Listener listener = new Listener(); Socket socket = factory(kind, true).createSocket()) {
            socket.connect(new InetSocketAddress(rebound(), listener.port()), 2000);
            assertTrue(socket.isConnected());
            assertTrue(!listener.reachedByNothingElse(), "the allowed connection reached the listener first");
        }
    }

    /** Settings for a verifier that does not allow private networks. */
    static MailplaneConfig.MailAccounts publicOnly() {
        return Settings.of(Map.of(
                "mailplane.mailaccounts.connect-timeout", "2S",
                "mailplane.mailaccounts.read-timeout", "2S")).mailaccounts();
    }

    @ParameterizedTest
    @EnumSource(Encryption.class)
    void shouldRefuseAVerificationThatWouldConnectToAnInternalAddress(Encryption encryption) throws Exception {
        MailVerifier verifier = new MailVerifier(publicOnly());
        try (Listener listener = new Listener()) {
            for (Side side : Side.values()) {
                ServerSettings settings = new ServerSettings(side, "localhost", listener.port(), "someone", "Sekr3t-pw",
                        encryption, AuthType.Login, true);
                ApiException refused = assertThrows(ApiException.class, () -> verifier.verify(settings));
                assertEquals(ErrorCode.MAIL_VERIFICATION_FAILED, refused.code);
                assertEquals("connect", refused.details.get("phase"));
                assertTrue(refused.getMessage().contains("private or local network"), refused.getMessage());
            }
            assertTrue(listener.reachedByNothingElse(), "no verification reached the internal address");
        }
    }

    /** An SSL context from one of the test's PKCS12 stores (the server's key, or the truststore). */
    static SSLContext tls(String store, boolean key) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/tls", store))) {
            ks.load(in, "changeit".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        if (key) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            context.init(kmf.getKeyManagers(), null, null);
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            context.init(null, tmf.getTrustManagers(), null);
        }
        return context;
    }

    /**
     * The connection is made to an address literal, so the TLS layer must check the certificate
     * against the server's name itself: the test certificate names localhost and 127.0.0.1.
     */
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "mail.other.example"})
    void shouldCheckTheCertificateAgainstTheServerNameNotTheAddressConnected(String serverName) throws Exception {
        SSLServerSocket server = (SSLServerSocket) tls("server.p12", true).getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            try (SSLSocket client = (SSLSocket) server.accept()) {
                client.startHandshake();
                client.getInputStream().read();
            } catch (IOException e) {
                // the client refused the certificate
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        SSLSocketFactory sockets = GuardedSockets.tls(tls("truststore.p12", false).getSocketFactory(), new Deadline(), true, serverName);
        try (server; Socket plain = GuardedSockets.plain(new Deadline(), true).createSocket()) {
            plain.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.getLocalPort()), 2000);
            SSLSocket socket = (SSLSocket) sockets.createSocket(plain, "127.0.0.1", server.getLocalPort(), true);
            if (serverName.equals("mail.other.example")) {
                assertThrows(SSLHandshakeException.class, socket::startHandshake);
            } else {
                socket.startHandshake();
                assertTrue(socket.getSession().isValid());
            }
        }
    }

    @Test
    void shouldRefuseToLayerTlsOverAConnectionToAnInternalAddress() throws Exception {
        try (Listener listener = new Listener(); Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listener.port()), 2000);
            SSLSocketFactory sockets = GuardedSockets.tls((SSLSocketFactory) SSLSocketFactory.getDefault(), new Deadline(),
                    false, "mail.rebinding.example");
            assertThrows(GuardedSockets.InternalAddressException.class,
                    () -> sockets.createSocket(plain, "mail.rebinding.example", listener.port(), true));
            assertTrue(plain.isClosed(), "the connection is dropped before a byte is sent");
        }
    }

    /**
     * Past the verifier's own lookup (as after a rebinding answer), Jakarta Mail, driven with
     * the verifier's session, must still not reach the internal address: the plain and STARTTLS
     * sockets never connect, and the socket Jakarta Mail connects itself for implicit TLS is
     * dropped before a byte is sent. Without {@code socketFactory.fallback=false}, Jakarta Mail
     * would retry a refused connection with an unguarded socket.
     */
    @ParameterizedTest
    @EnumSource(Encryption.class)
    void shouldNotLetTheMailClientReachAnInternalAddressPastTheVerifiersLookup(Encryption encryption) throws Exception {
        MailVerifier verifier = new MailVerifier(publicOnly());
        for (Side side : Side.values()) {
            try (Listener listener = new Listener()) {
                ServerSettings settings = new ServerSettings(side, "mail.rebinding.example", listener.port(), "someone", "Sekr3t-pw",
                        encryption, AuthType.Login, true);
                jakarta.mail.Session session = verifier.session(settings, new Deadline());
                jakarta.mail.MessagingException refused = assertThrows(jakarta.mail.MessagingException.class, () -> {
                    if (side == Side.SMTP) {
                        try (jakarta.mail.Transport t = session.getTransport("smtp")) {
                            t.connect("127.0.0.1", listener.port(), "someone", "Sekr3t-pw");
                        }
                    } else {
                        try (jakarta.mail.Store st = session.getStore(side.protocol)) {
                            st.connect("127.0.0.1", listener.port(), "someone", "Sekr3t-pw");
                        }
                    }
                }, side + " " + encryption);
                assertTrue(causes(refused).anyMatch(GuardedSockets.InternalAddressException.class::isInstance),
                        side + " " + encryption + ": " + refused);
                if (encryption == Encryption.SSL) {
                    assertTrue(listener.receivedNothing(), side + ": the implicit-TLS connection was dropped before a byte was sent");
                } else {
                    assertTrue(listener.reachedByNothingElse(), side + " " + encryption + ": no connection reached the internal address");
                }
            }
        }
    }

    static java.util.stream.Stream<Throwable> causes(Throwable t) {
        return java.util.stream.Stream.iterate(t, java.util.Objects::nonNull, c -> c.getCause() == c ? null : c.getCause());
    }

    @Test
    void shouldNameTheHostButNeverConnectWhenRefusing() throws Exception {
        try (Socket socket = factory(Kind.PLAIN, false).createSocket()) {
            GuardedSockets.InternalAddressException refused = assertThrows(GuardedSockets.InternalAddressException.class,
                    () -> socket.connect(new InetSocketAddress(rebound(), 25)));
            assertTrue(refused.getMessage().contains("mail.rebinding.example"), refused.getMessage());
            assertTrue(!socket.isConnected());
        }
    }
}
