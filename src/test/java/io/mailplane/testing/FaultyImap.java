package io.mailplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A port of 127.0.0.1 that plays a broken IMAP server, switchable while the service keeps pointing
 * at it: {@link Mode#DOWN} (nothing listens: connections are refused), {@link Mode#SILENT}
 * (connections are accepted and never answered) or {@link Mode#DRIP} (a greeting sent one byte
 * every {@code dripMillis}, each within any read timeout, never finished). The port is chosen once
 * per JVM and kept in a system property, so a test profile and its test agree on it whatever class
 * loader reads it.
 */
public final class FaultyImap implements AutoCloseable {
    public enum Mode { DOWN, SILENT, DRIP }

    private static final String PORT_PROPERTY = "faultyimap.port";

    private final int port;
    private final long dripMillis;
    private final List<Socket> clients = new ArrayList<>();
    /** Connections accepted so far. */
    public final AtomicInteger accepted = new AtomicInteger();
    private ServerSocket server;
    private volatile Mode mode = Mode.DOWN;

    public FaultyImap(long dripMillis) {
        this.port = port();
        this.dripMillis = dripMillis;
    }

    /** The port, the same for every caller in this JVM; nothing listens on it until a mode says so. */
    public static synchronized int port() {
        String known = System.getProperty(PORT_PROPERTY);
        if (known != null) {
            return Integer.parseInt(known);
        }
        // below the kernel's ephemeral range (32768 up), so no outgoing connection borrows it while it is DOWN
        for (int attempt = 0; attempt < 1000; attempt++) {
            int candidate = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(MailServers.HOST), candidate));
            } catch (IOException taken) {
                continue;
            }
            System.setProperty(PORT_PROPERTY, Integer.toString(candidate));
            return candidate;
        }
        throw new IllegalStateException("no free port below the ephemeral range");
    }

    /** Switches to {@code next}; connections of the previous mode are hung up. */
    public synchronized void mode(Mode next) {
        hangUp();
        mode = next;
        if (next == Mode.DOWN) {
            return;
        }
        server = bind();
        ServerSocket listening = server;
        Thread acceptor = new Thread(() -> accept(listening), "faulty-imap");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on the port again; a socket of the previous mode may hold it for a moment after its close. */
    private ServerSocket bind() {
        AtomicReference<ServerSocket> bound = new AtomicReference<>();
        Awaitility.await("faulty IMAP port " + port).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    bound.set(tryBind());
                    return bound.get() != null;
                });
        return bound.get();
    }

    private ServerSocket tryBind() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(MailServers.HOST), port), 200);
            return socket;
        } catch (IOException e) {
            socket.close();
            return null;
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                accepted.incrementAndGet();
                synchronized (this) {
                    clients.add(client);
                }
                Thread t = new Thread(() -> serve(client), "faulty-imap-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        ScheduledExecutorService drip = null;
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            if (mode == Mode.DRIP) {
                // one byte of a greeting that never ends, every dripMillis: each read succeeds in time
                byte[] greeting = "* OK [CAPABILITY IMAP4rev1] a greeting that never ends ".repeat(100).getBytes(StandardCharsets.US_ASCII);
                AtomicInteger next = new AtomicInteger();
                drip = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "faulty-imap-drip");
                    t.setDaemon(true);
                    return t;
                });
                ScheduledExecutorService scheduler = drip;
                drip.scheduleAtFixedRate(() -> {
                    try {
                        out.write(greeting[next.getAndIncrement() % greeting.length]);
                        out.flush();
                    } catch (IOException e) {
                        scheduler.shutdown(); // the client went away
                    }
                }, 0, dripMillis, TimeUnit.MILLISECONDS);
            }
            while (in.read() >= 0) {
                // say nothing, swallow everything
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            if (drip != null) {
                drip.shutdownNow();
            }
        }
    }

    private void hangUp() {
        try {
            if (server != null) {
                server.close();
            }
            for (Socket c : clients) {
                c.close();
            }
        } catch (IOException e) {
            // closing is all we wanted
        }
        clients.clear();
        server = null;
    }

    @Override
    public synchronized void close() {
        hangUp();
        mode = Mode.DOWN;
    }
}
