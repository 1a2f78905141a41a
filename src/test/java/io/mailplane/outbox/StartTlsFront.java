package io.mailplane.outbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP front with STARTTLS for a real SMTP server that has none (GreenMail 2.1.5 advertises
 * only AUTH on its plain SMTP port and knows no STARTTLS command). It speaks SMTP up to STARTTLS
 * (EHLO advertises it; MAIL, RCPT, DATA before it are refused with 530), upgrades the connection
 * to TLS with the test certificate, and from then on relays the session byte for byte to the
 * server behind it (whose own greeting it drops: the client greets again after STARTTLS). So a
 * mail reaches the server only through a TLS session, and nothing is sent in the clear.
 */
final class StartTlsFront implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;
    private final String backendHost;
    private final int backendPort;
    private final AtomicInteger upgraded = new AtomicInteger();
    private final AtomicInteger refusedInClear = new AtomicInteger();

    StartTlsFront(SSLContext tls, String backendHost, int backendPort) throws IOException {
        this.tls = tls;
        this.backendHost = backendHost;
        this.backendPort = backendPort;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        daemon("starttls-front", () -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    daemon("starttls-front-session", () -> serve(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    /** Sessions upgraded to TLS (handshake completed). */
    int upgraded() {
        return upgraded.get();
    }

    /** Mail commands (MAIL, RCPT, DATA) a client sent before STARTTLS, all refused. */
    int refusedInClear() {
        return refusedInClear.get();
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            say(out, "220 front.test ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String command = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO" -> say(out, "250-front.test\r\n250 STARTTLS");
                    case "HELO", "NOOP", "RSET" -> say(out, "250 2.0.0 OK");
                    case "QUIT" -> {
                        say(out, "221 2.0.0 Bye");
                        return;
                    }
                    case "STAR" -> {
                        say(out, "220 2.0.0 Ready to start TLS");
                        relayOverTls(client);
                        return;
                    }
                    case "MAIL", "RCPT", "DATA" -> {
                        refusedInClear.incrementAndGet();
                        say(out, "530 5.7.0 Must issue a STARTTLS command first");
                    }
                    default -> say(out, "502 5.5.2 Command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away (or its TLS handshake failed)
        }
    }

    private void relayOverTls(Socket client) throws IOException {
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, null, true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        upgraded.incrementAndGet();
        try (secure; Socket backend = new Socket(backendHost, backendPort)) {
            InputStream fromBackend = backend.getInputStream();
            readLine(fromBackend); // the server's greeting: the client does not expect one after STARTTLS
            Thread up = daemon("starttls-front-up", () -> pipe(secure, backend));
            pipe(backend, secure);
            try {
                up.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                // SSLSocket may not half-close; closing follows
            }
        }
    }

    /** One CRLF-terminated line, read byte by byte so that nothing after it (a TLS handshake) is consumed. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
