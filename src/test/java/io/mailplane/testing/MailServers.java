package io.mailplane.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
            greenMail = new GreenMail(setups);
            greenMail.start();
        }
        return greenMail;
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
        return get().getSmtp().getPort();
    }

    public static int smtps() {
        return get().getSmtps().getPort();
    }

    public static int imap() {
        return get().getImap().getPort();
    }

    public static int imaps() {
        return get().getImaps().getPort();
    }

    public static int pop3() {
        return get().getPop3().getPort();
    }

    public static int pop3s() {
        return get().getPop3s().getPort();
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
