package io.mailplane.testing;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHandler;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One real in-process mail server (GreenMail) for the whole test JVM: SMTP, SMTPS, IMAP, IMAPS,
 * POP3 and POP3S on free ports of 127.0.0.1, with TLS under a test certificate for
 * {@code localhost}/{@code 127.0.0.1} that the service trusts through its configured
 * truststore. Authentication is enforced: only {@link #mailbox} accounts can log in.
 * Also a port that is closed and a server that accepts connections but never answers.
 */
public final class MailServers {
    public static final String HOST = "127.0.0.1";
    private static GreenMail greenMail;
    private static ServerSocket silent;
    private static final List<Socket> held = new ArrayList<>();

    private MailServers() {
    }

    public static synchronized GreenMail get() {
        if (greenMail == null) {
            System.setProperty("greenmail.tls.keystore.file", Path.of("src/test/resources/tls/server.p12").toAbsolutePath().toString());
            System.setProperty("greenmail.tls.keystore.password", "changeit");
            ServerSetup[] setups = ServerSetup.dynamicPort(new ServerSetup[] {
                    new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP), new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTPS),
                    new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP), new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAPS),
                    new ServerSetup(0, HOST, ServerSetup.PROTOCOL_POP3), new ServerSetup(0, HOST, ServerSetup.PROTOCOL_POP3S)});
            // GreenMail's default start-up wait (2 s) is too short on a loaded machine
            for (ServerSetup setup : setups) {
                setup.setServerStartupTimeout(30_000);
            }
            greenMail = new EofSafeGreenMail(setups);
            greenMail.start();
        }
        return greenMail;
    }

    /**
     * GreenMail 2.1.5's IMAP handler loops forever on a connection its client closed without
     * LOGOUT (as every failed login does), burning a core per connection; its IMAP servers are
     * replaced by ones whose handlers stop when their client's stream ends.
     */
    static final class EofSafeGreenMail extends GreenMail {
        EofSafeGreenMail(ServerSetup[] setups) {
            super(setups);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
            Map<String, AbstractServer> services = super.createServices(config, managers);
            for (ServerSetup setup : config) {
                if (setup.getProtocol().startsWith(ServerSetup.PROTOCOL_IMAP)) {
                    services.put(setup.getProtocol(), new EofSafeImapServer(setup, managers));
                }
            }
            return services;
        }

        int port(String protocol) {
            return services.get(protocol).getPort();
        }
    }

    static final class EofSafeImapServer extends AbstractServer {
        EofSafeImapServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket client) {
            EofSocket socket = new EofSocket(client);
            ImapHandler handler = new ImapHandler(managers.getUserManager(), managers.getImapHostManager(), socket);
            socket.onEof = () -> handler.setQuitting(true);
            return handler;
        }
    }

    /** A client socket that reports the end of its input stream. */
    static final class EofSocket extends Socket {
        private final Socket delegate;
        volatile Runnable onEof = () -> { };

        EofSocket(Socket delegate) {
            this.delegate = delegate;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(delegate.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        onEof.run();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n < 0) {
                        onEof.run();
                    }
                    return n;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return delegate.getOutputStream();
        }

        @Override
        public InetAddress getInetAddress() {
            return delegate.getInetAddress();
        }

        @Override
        public int getPort() {
            return delegate.getPort();
        }

        @Override
        public int getSoTimeout() throws SocketException {
            return delegate.getSoTimeout();
        }

        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public synchronized void close() throws IOException {
            delegate.close();
        }
    }

    /** A mailbox the servers accept: address, login and password. */
    public record Mailbox(String email, String login, String password) {
    }

    public static Mailbox mailbox() {
        String login = Fixtures.unique("ext");
        Mailbox box = new Mailbox(login + "@external.example.net", login, Fixtures.secret());
        get().setUser(box.email(), box.login(), box.password());
        return box;
    }

    public static int smtp() {
        return ((EofSafeGreenMail) get()).port(ServerSetup.PROTOCOL_SMTP);
    }

    public static int smtps() {
        return ((EofSafeGreenMail) get()).port(ServerSetup.PROTOCOL_SMTPS);
    }

    public static int imap() {
        return ((EofSafeGreenMail) get()).port(ServerSetup.PROTOCOL_IMAP);
    }

    public static int imaps() {
        return ((EofSafeGreenMail) get()).port(ServerSetup.PROTOCOL_IMAPS);
    }

    public static int pop3() {
        return ((EofSafeGreenMail) get()).port(ServerSetup.PROTOCOL_POP3);
    }

    public static int pop3s() {
        return ((EofSafeGreenMail) get()).port(ServerSetup.PROTOCOL_POP3S);
    }

    /** A port on 127.0.0.1 where nothing listens. */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port that accepts connections and then never says a word. */
    public static synchronized int silentPort() {
        if (silent == null) {
            try {
                silent = new ServerSocket(0, 50, InetAddress.getByName(HOST));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-mail-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }
        return silent.getLocalPort();
    }
}
