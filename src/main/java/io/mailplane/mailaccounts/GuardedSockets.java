package io.mailplane.mailaccounts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factories of one verification. Every socket is tracked for the verification's
 * {@link Deadline}, and, unless private networks are allowed, refuses to connect
 * to an address {@link HostPolicy} calls internal. The address is judged when the socket
 * connects, after the last name resolution: a name that answers a public address to a check
 * and an internal one to the connection (DNS rebinding) cannot reach an internal host.
 * <p>
 * For implicit TLS, Jakarta Mail connects a plain {@code java.net.Socket} of its own and only
 * then asks the TLS factory to layer over it; the layer checks that socket's peer before a
 * byte is sent (and {@link MailVerifier} connects to an address it resolved and checked
 * itself, so no second lookup happens at all). The TLS layer also checks the certificate
 * against the server's name ({@code HTTPS} endpoint identification, RFC 2818/6125), as the
 * connection itself is made to an address literal.
 */
final class GuardedSockets {
    private GuardedSockets() {
    }

    /** Plain sockets for this verification. */
    static SocketFactory plain(Deadline deadline, boolean allowPrivateNetworks) {
        return new Plain(deadline, allowPrivateNetworks);
    }

    /**
     * TLS sockets of {@code tls} for this verification, over guarded plain sockets, whose
     * certificate must name {@code serverName} (whatever address or literal the socket was
     * connected by).
     */
    static SSLSocketFactory tls(SSLSocketFactory tls, Deadline deadline, boolean allowPrivateNetworks,
                                String serverName) {
        return new Tls(tls, new Plain(deadline, allowPrivateNetworks), deadline, serverName);
    }

    /** Refuses an internal address unless private networks are allowed. */
    static void check(String host, InetAddress address, boolean allowPrivateNetworks) throws InternalAddressException {
        if (!allowPrivateNetworks && HostPolicy.isInternal(address)) {
            throw new InternalAddressException(host, address);
        }
    }

    /** A connection attempt to an internal address that the host policy forbids; nothing was sent. */
    static final class InternalAddressException extends SocketException {
        InternalAddressException(String host, InetAddress address) {
            super(host + " resolves to the internal address " + address.getHostAddress());
        }
    }

    /** A plain socket that checks the address it is about to connect to. */
    static final class GuardedSocket extends Socket {
        private final boolean allowPrivateNetworks;

        GuardedSocket(boolean allowPrivateNetworks) {
            this.allowPrivateNetworks = allowPrivateNetworks;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (endpoint instanceof InetSocketAddress target) {
                InetAddress address = target.getAddress();
                if (address == null) {
                    throw new UnknownHostException(target.getHostString());
                }
                check(target.getHostString(), address, allowPrivateNetworks);
            }
            super.connect(endpoint, timeout); // Socket.connect(endpoint) lands here too
        }
    }

    private static final class Plain extends SocketFactory {
        private final Deadline deadline;
        private final boolean allowPrivateNetworks;

        Plain(Deadline deadline, boolean allowPrivateNetworks) {
            this.deadline = deadline;
            this.allowPrivateNetworks = allowPrivateNetworks;
        }

        @Override
        public Socket createSocket() {
            return deadline.track(new GuardedSocket(allowPrivateNetworks));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
        }

        private Socket connected(InetSocketAddress target, InetSocketAddress local) throws IOException {
            Socket socket = createSocket();
            try {
                if (local != null) {
                    socket.bind(local);
                }
                socket.connect(target);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }
    }

    private static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final Plain plain;
        private final Deadline deadline;
        private final String serverName;

        Tls(SSLSocketFactory delegate, Plain plain, Deadline deadline, String serverName) {
            this.delegate = delegate;
            this.plain = plain;
            this.deadline = deadline;
            this.serverName = serverName;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        /**
         * An unconnected guarded plain socket: Jakarta Mail connects it and then, as it is not
         * yet a TLS socket, layers TLS over it with {@link #createSocket(Socket, String, int, boolean)}.
         */
        @Override
        public Socket createSocket() {
            return plain.createSocket();
        }

        /** TLS over a connected socket (implicit TLS and STARTTLS): its peer is checked first, nothing was sent yet. */
        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            InetAddress peer = s.getInetAddress();
            if (peer == null) {
                throw new SocketException("TLS needs a connected socket");
            }
            try {
                check(host, peer, plain.allowPrivateNetworks);
            } catch (InternalAddressException e) {
                s.close();
                throw e;
            }
            SSLSocket tls = (SSLSocket) delegate.createSocket(s, serverName, port, autoClose);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            return deadline.track(tls);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return layered(plain.createSocket(host, port), host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return layered(plain.createSocket(host, port, local, localPort), host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return layered(plain.createSocket(host, port), nameOf(host), port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return layered(plain.createSocket(host, port, local, localPort), nameOf(host), port);
        }

        /** The name the address was looked up by, else its literal (no reverse lookup). */
        private static String nameOf(InetAddress address) {
            String text = address.toString();
            int slash = text.indexOf('/');
            return slash > 0 ? text.substring(0, slash) : address.getHostAddress();
        }

        private Socket layered(Socket connected, String host, int port) throws IOException {
            try {
                return createSocket(connected, host, port, true);
            } catch (IOException e) {
                connected.close();
                throw e;
            }
        }
    }
}
