package io.mailplane.mailstats;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * The plain sockets of IMAP conversations, each tied to the conversation running on the thread
 * that makes it (Jakarta Mail connects on the caller's thread). When a conversation outlives its
 * bound its sockets are closed, so a server that keeps every single answer within the read
 * timeout (a greeting dripped byte by byte) still cannot hold a worker past that bound. TLS is
 * layered over these sockets, so closing them ends TLS conversations too.
 * <p>
 * A logged-in session that is pooled ({@link ImapSessionPool}) keeps the sockets of its login;
 * the conversation that borrows it adopts them ({@link Deadline#adopt}), so its bound covers a
 * reused session exactly as a fresh one.
 */
final class ConversationSockets extends SocketFactory {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "imap-conversation-deadline");
        t.setDaemon(true);
        return t;
    });
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    /** The bound of one conversation and the sockets it made. */
    static final class Deadline implements AutoCloseable {
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final ScheduledFuture<?> watch;
        private volatile boolean expired;

        private Deadline(long millis) {
            this.watch = WATCHDOG.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
        }

        /** Whether the bound passed (and the sockets were closed for it). */
        boolean expired() {
            return expired;
        }

        private void track(Socket socket) {
            sockets.add(socket);
            if (expired) {
                closeQuietly(socket);
            }
        }

        /** How many sockets this conversation has made or adopted so far (a mark for {@link #since}). */
        int made() {
            return sockets.size();
        }

        /** The sockets made or adopted after {@link #made} answered {@code mark}: those of one login. */
        List<Socket> since(int mark) {
            return List.copyOf(sockets.subList(mark, sockets.size()));
        }

        /**
         * Puts sockets an earlier conversation made (those of a pooled session) under this bound:
         * they are closed when it passes, or at once if it has passed already.
         */
        void adopt(List<Socket> earlier) {
            earlier.forEach(this::track);
        }

        /** Closes the sockets now without calling the bound passed (a conversation that failed needs no LOGOUT). */
        void hangUp() {
            sockets.forEach(ConversationSockets::closeQuietly);
        }

        private void expire() {
            expired = true;
            sockets.forEach(ConversationSockets::closeQuietly);
        }

        @Override
        public void close() {
            watch.cancel(false);
            CURRENT.remove();
        }
    }

    /** Starts the bound of the conversation about to run on this thread; close it when the conversation ends. */
    static Deadline begin(long millis) {
        Deadline deadline = new Deadline(millis);
        CURRENT.set(deadline);
        return deadline;
    }

    private static Socket tracked(Socket socket) {
        Deadline deadline = CURRENT.get();
        if (deadline != null) {
            deadline.track(socket);
        }
        return socket;
    }

    @Override
    public Socket createSocket() {
        return tracked(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localHost, localPort));
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localAddress, localPort));
        socket.connect(new java.net.InetSocketAddress(address, port));
        return socket;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }
}
