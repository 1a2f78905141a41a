package io.mailplane.outbox;

import static org.junit.jupiter.api.Assertions.fail;

import io.mailplane.testing.Db;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What the outbox tests share: polling with a deadline, rows in a given state, mails a server received. */
final class OutboxTestSupport {
    private OutboxTestSupport() {
    }

    /** Waits until {@code done} holds, at most {@code timeout}; fails with {@code what} and {@code state} otherwise. */
    static void await(String what, Duration timeout, BooleanSupplier done, Supplier<String> state) {
        try {
            Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25)).until(done::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            fail("timed out waiting until " + what + ": " + state.get(), e);
        }
    }

    /** A row written straight into the outbox: {@code status}, due now or only in a day. */
    static long row(Long resellerId, String status, boolean due, String recipient) {
        Db.update("INSERT INTO notification_outbox (reseller_id, kind, recipient, subject, text_body, status, attempts, next_attempt_at, last_error) "
                        + "VALUES (?, 'welcome', ?, 'Hello', 'Hello there', ?, ?, CURRENT_TIMESTAMP(3) + INTERVAL ? HOUR, ?)",
                resellerId, recipient, status, status.equals("failed") ? 3 : 0, due ? 0 : 24, status.equals("failed") ? "550 no" : null);
        return Db.count("SELECT MAX(id) FROM notification_outbox WHERE recipient = ?", recipient);
    }

    static String status(long id) {
        return Db.string("SELECT status FROM notification_outbox WHERE id = ?", id);
    }

    static String statuses(String recipientLike) {
        return Db.string("SELECT GROUP_CONCAT(CONCAT(status, ':', cnt)) FROM (SELECT status, COUNT(*) cnt FROM notification_outbox "
                + "WHERE recipient LIKE ? GROUP BY status) s", recipientLike);
    }

    static long count(String recipientLike, String status) {
        return Db.count("SELECT COUNT(*) FROM notification_outbox WHERE recipient LIKE ? AND status = ?", recipientLike, status);
    }

    static List<String> recipients(MimeMessage[] messages) {
        return Arrays.stream(messages).map(m -> {
            try {
                return m.getAllRecipients()[0].toString();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static String header(MimeMessage m, String name) {
        try {
            return m.getHeader(name, ",");
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
