package io.mailplane.mailstats;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of {@code /oxaas/v1/mail/{uid}} (OX Cloud-Plugins "Mail"). */
public final class MailStatsDtos {
    private MailStatsDtos() {
    }

    /** OX's answer of {@code newmessages}, {@code unread} and {@code unread/inbox}: one count, always named {@code newmessages}. */
    @Schema(name = "MailCount")
    public record Count(@Schema(description = "the count the operation reports", required = true, minimum = "0") long newmessages) {
    }

    /** The mailbox's quota as the IMAP server reports it (GETQUOTAROOT INBOX, resource STORAGE). */
    @Schema(name = "MailQuotaUsage")
    public record Quota(
            @Schema(description = "storage in use, in KiB (IMAP STORAGE units of 1024 octets); absent when the server keeps no quota") Long usage,
            @Schema(description = "the storage limit, in KiB (quotaMb × 1024); absent when the mailbox has no limit") Long limit) {
        static final Quota NONE = new Quota(null, null);
    }

    /** OX's answer of {@code quota}. */
    public record MailQuota(@Schema(required = true) Quota mailQuota) {
    }

    /** One of the most recent INBOX mails. */
    public record RecentMail(
            @Schema(description = "the first From address, decoded and written as in a header: Name <address>, the name in double quotes when it needs them") String from,
            @Schema(description = "the subject, decoded") String subject,
            @Schema(description = "the Date header; the arrival time when the mail has none") Instant date,
            @Schema(description = "when the mail arrived in the mailbox (IMAP INTERNALDATE)") Instant received,
            @Schema(description = "whether the mail has been read (\\\\Seen)", required = true) boolean seen,
            @Schema(description = "the size of the mail in bytes (RFC822.SIZE)", required = true) long size) {
    }

    /** The unread counts of {@code all}. */
    @Schema(name = "MailUnreadCounts")
    public record RecentMessages(
            @Schema(description = "unread mails in all folders (as unread)", required = true) long unread,
            @Schema(description = "unread mails in INBOX (as unread/inbox)", required = true) long unreadInbox,
            @Schema(description = "all mails in INBOX", required = true) long total) {
    }

    /** OX's answer of {@code all}: every statistic, read in one IMAP session. */
    @Schema(name = "MailStatistics")
    public record All(
            @Schema(description = "as recentmails", required = true) List<RecentMail> recentmails,
            @Schema(description = "as quota's mailQuota", required = true) Quota quota,
            @Schema(description = "as newmessages", required = true) Count newmessages,
            @Schema(description = "the unread counts", required = true) RecentMessages recentmessages) {
    }
}
