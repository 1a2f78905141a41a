package io.mailplane.mailstats;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Collections;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;

/**
 * The one place where what went wrong talking IMAP becomes an answer: no connection (refused,
 * unreachable, connect timeout, name unknown) → 502 MAIL_SERVER_UNAVAILABLE; no answer within the
 * read timeout or the conversation's bound → 504 MAIL_SERVER_TIMEOUT; everything else the server
 * did (refused the master login, broke the connection, answered nonsense, failed TLS) → 502
 * MAIL_SERVER_ERROR. Details name what happened, never the server's address, the master user or
 * anything the server said about them.
 */
final class ImapFailures {
    private ImapFailures() {
    }

    enum Kind {
        UNAVAILABLE, TIMEOUT, REFUSED_LOGIN, TLS, OTHER
    }

    static Kind classify(Throwable failure, boolean deadlinePassed) {
        if (deadlinePassed) {
            return Kind.TIMEOUT;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Kind kind = Kind.OTHER;
        for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
            if (t instanceof MailConnectException || t instanceof SocketConnectException || t instanceof ConnectException
                    || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return Kind.UNAVAILABLE;
            }
            if (t instanceof SocketTimeoutException) {
                return Kind.TIMEOUT;
            }
            if (t instanceof AuthenticationFailedException) {
                kind = Kind.REFUSED_LOGIN;
            } else if (t instanceof SSLException && kind == Kind.OTHER) {
                kind = Kind.TLS;
            }
        }
        return kind;
    }

    /** The problem to answer for {@code failure}. */
    static ApiException toProblem(Throwable failure, boolean deadlinePassed) {
        return switch (classify(failure, deadlinePassed)) {
            case UNAVAILABLE -> new ApiException(ErrorCode.MAIL_SERVER_UNAVAILABLE,
                    "The mail server cannot be reached; try again later.");
            case TIMEOUT -> new ApiException(ErrorCode.MAIL_SERVER_TIMEOUT,
                    "The mail server did not answer in time; try again later.");
            case REFUSED_LOGIN -> new ApiException(ErrorCode.MAIL_SERVER_ERROR,
                    "The mail server refused the service's login to this mailbox.");
            case TLS -> new ApiException(ErrorCode.MAIL_SERVER_ERROR,
                    "The TLS handshake with the mail server failed.");
            case OTHER -> new ApiException(ErrorCode.MAIL_SERVER_ERROR,
                    "The mail server failed to answer the request.");
        };
    }

    /** Whatever caused {@code t}: its cause, a MessagingException's next one, or the exception a synthesized BYE carries. */
    private static Throwable next(Throwable t) {
        if (t.getCause() != null) {
            return t.getCause();
        }
        if (t instanceof MessagingException m && m.getNextException() != null) {
            return m.getNextException();
        }
        if (t instanceof ProtocolException p) {
            Response response = p.getResponse();
            return response == null ? null : response.getException();
        }
        return null;
    }
}
