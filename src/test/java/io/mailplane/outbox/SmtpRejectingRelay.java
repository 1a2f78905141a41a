package io.mailplane.outbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny SMTP relay that accepts the session and rejects every recipient with 554 (and DATA too). */
final class SmtpRejectingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger rejections = new AtomicInteger();

    SmtpRejectingRelay() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread session = new Thread(() -> serve(client), "rejecting-smtp-session");
                    session.setDaemon(true);
                    session.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "rejecting-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many RCPT commands were rejected. */
    int rejections() {
        return rejections.get();
    }

    private void serve(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
            OutputStream out = client.getOutputStream();
            say(out, "220 reject.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO", "HELO" -> say(out, "250 reject.test");
                    case "MAIL", "RSET", "NOOP" -> say(out, "250 2.0.0 OK");
                    case "RCPT" -> {
                        rejections.incrementAndGet();
                        say(out, "554 5.7.1 Relay access denied");
                    }
                    case "DATA" -> say(out, "554 5.5.1 No valid recipients");
                    case "QUIT" -> {
                        say(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> say(out, "502 5.5.2 Command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
