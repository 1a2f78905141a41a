package io.mailplane.mailaccounts;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sockets of one verification; all are closed when it overruns its deadline. The sockets
 * come from {@link GuardedSockets}, which tracks every one it makes here, so a server that keeps
 * each read within the read timeout (a greeting dripped byte by byte) still cannot hold a
 * verification past the whole conversation's bound.
 */
final class Deadline {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mail-verification-deadline");
        t.setDaemon(true);
        return t;
    });

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    volatile boolean expired;

    /** Tracks {@code socket}: closed at once when the deadline has already passed, else when it passes. */
    <T extends Socket> T track(T socket) {
        sockets.add(socket);
        if (expired) {
            close(socket);
        }
        return socket;
    }

    /** Closes every tracked socket, now and on any later {@link #track}. */
    void expire() {
        expired = true;
        sockets.forEach(Deadline::close);
    }

    /** Expires this deadline after {@code limit} unless the returned watch is cancelled first. */
    ScheduledFuture<?> start(Duration limit) {
        return WATCHDOG.schedule(this::expire, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }
}
