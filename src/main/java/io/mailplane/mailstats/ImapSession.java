package io.mailplane.mailstats;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * One logged-in IMAP connection as the master user into one mailbox ({@code <user>*<master>}):
 * the store that logged in and the sockets of that login, which the conversation borrowing the
 * session puts under its bound ({@link ConversationSockets.Deadline#adopt}). Used by one request
 * at a time; {@link ImapSessionPool} keeps it between requests.
 */
final class ImapSession {
    final ImapSessionPool.Key key;
    private final IMAPStore store;
    private final IMAPFolder any;
    private final List<Socket> sockets;
    /** Whether the last {@link #run} left the connection in the authenticated state, fit for another request. */
    private boolean reusable;
    /** {@link System#nanoTime()} when the session was returned to the pool; guarded by the pool. */
    long idleSince;

    ImapSession(ImapSessionPool.Key key, IMAPStore store, List<Socket> sockets) throws MessagingException {
        this.key = key;
        this.store = store;
        this.any = (IMAPFolder) store.getFolder(ImapConversation.INBOX);
        this.sockets = sockets;
    }

    List<Socket> sockets() {
        return sockets;
    }

    /**
     * Runs {@code work} on the connection, then closes the mailbox it opened, if any. The answer
     * stands when only that last step fails; the session is then not {@link #reusable}.
     */
    @SuppressWarnings("unchecked")
    <T> T run(MailboxReader.Work<T> work) throws MessagingException {
        reusable = false;
        return (T) any.doCommand(p -> {
            ImapConversation conversation = new ImapConversation(p);
            Object answer = work.run(conversation);
            try {
                conversation.leaveMailbox();
                reusable = true;
            } catch (ProtocolException e) {
                // the statistics are read; this connection only serves no further request
            }
            return answer;
        });
    }

    /** Whether the last {@link #run} succeeded and left no mailbox selected. */
    boolean reusable() {
        return reusable;
    }

    /** Closes the sockets at once, no LOGOUT: for a session that failed. */
    void hangUp() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    /** LOGOUT and close; a failure changes nothing (the session is gone either way). */
    void logOut() {
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            hangUp();
        }
    }
}
