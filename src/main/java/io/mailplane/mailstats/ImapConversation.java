package io.mailplane.mailstats;

import io.mailplane.mailstats.MailStatsDtos.Quota;
import io.mailplane.mailstats.MailStatsDtos.RecentMail;
import jakarta.mail.Flags;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.search.SearchException;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.ACL;
import org.eclipse.angus.mail.imap.Rights;
import org.eclipse.angus.mail.imap.YoungerTerm;
import org.eclipse.angus.mail.imap.protocol.ENVELOPE;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.Namespaces;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.Status;

/**
 * The statistics commands on one logged-in IMAP connection. Folders are walked with STATUS (none
 * is opened): in one LIST-STATUS round trip where the server offers it (RFC 5819, Dovecot does),
 * else LIST and a STATUS per folder; INBOX is opened read-only (EXAMINE), so nothing read here changes a
 * flag. Everything runs on the same connection, in the order the caller asks; {@link #leaveMailbox}
 * closes INBOX again before the connection serves another request.
 */
final class ImapConversation {
    static final String INBOX = "INBOX";
    private static final String[] UNSEEN = {"UNSEEN"};

    private final IMAPProtocol imap;
    private int inboxTotal = -1;
    /** Whether a mailbox is open (EXAMINE) on the connection. */
    private boolean selected;

    ImapConversation(IMAPProtocol imap) {
        this.imap = imap;
    }

    /** Unread mails: in all folders (every selectable folder's STATUS) and in INBOX. */
    record Unread(long all, long inbox) {
    }

    Unread unread() throws ProtocolException {
        if (imap.hasCapability("LIST-STATUS")) {
            return unreadByListStatus();
        }
        long all = 0;
        long inbox = 0;
        List<String> foreign = foreignPrefixes();
        ListInfo[] folders = imap.list("", "*");
        for (ListInfo folder : folders == null ? new ListInfo[0] : folders) {
            if (!folder.canOpen || isForeign(folder.name, foreign)) {
                continue;
            }
            long unseen = imap.status(folder.name, UNSEEN).unseen;
            all += unseen;
            if (folder.name.equalsIgnoreCase(INBOX)) {
                inbox = unseen;
            }
        }
        return new Unread(all, inbox);
    }

    /** RFC 5819: one LIST that returns every selectable folder's STATUS, one round trip for any number of folders. */
    private Unread unreadByListStatus() throws ProtocolException {
        List<String> foreign = foreignPrefixes();
        Response[] responses = imap.command("LIST \"\" \"*\" RETURN (STATUS (UNSEEN))", null);
        Response result = responses.length == 0 ? null : responses[responses.length - 1];
        imap.handleResult(result);
        long all = 0;
        long inbox = 0;
        for (Response response : responses) {
            if (response instanceof IMAPResponse untagged && untagged.keyEquals("STATUS")) {
                Status status = new Status(untagged);
                if (status.mbox != null && isForeign(status.mbox, foreign)) {
                    continue;
                }
                all += Math.max(0, status.unseen);
                if (status.mbox != null && status.mbox.equalsIgnoreCase(INBOX)) {
                    inbox = Math.max(0, status.unseen);
                }
            }
        }
        return new Unread(all, inbox);
    }

    /**
     * Prefixes of the namespaces that hold other people's mailboxes (Dovecot's shared namespace
     * {@code shared/<address>/}, where the user reads the shared accounts delegated to them):
     * "unread in all folders" counts the user's own folders only.
     */
    private List<String> foreignPrefixes() throws ProtocolException {
        if (!imap.hasCapability("NAMESPACE")) {
            return List.of();
        }
        Namespaces namespaces = imap.namespace();
        List<String> prefixes = new ArrayList<>();
        for (Namespaces.Namespace[] kind : new Namespaces.Namespace[][] {namespaces.otherUsers, namespaces.shared}) {
            for (Namespaces.Namespace namespace : kind == null ? new Namespaces.Namespace[0] : kind) {
                if (namespace.prefix != null && !namespace.prefix.isEmpty()) {
                    prefixes.add(namespace.prefix);
                }
            }
        }
        return prefixes;
    }

    private static boolean isForeign(String folder, List<String> foreignPrefixes) {
        for (String prefix : foreignPrefixes) {
            if (folder.startsWith(prefix) || (folder + prefix.charAt(prefix.length() - 1)).equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** SETACL (RFC 4314) on the logged-in user's {@code folder}: {@code identifier} gets exactly {@code rights}. */
    void setAcl(String folder, String identifier, String rights) throws ProtocolException {
        imap.setACL(folder, '\0', new ACL(identifier, new Rights(rights)));
    }

    long unreadInbox() throws ProtocolException {
        Status status = imap.status(INBOX, UNSEEN);
        return status.unseen;
    }

    /** GETQUOTAROOT INBOX: the STORAGE resource of its first root that has one; {@link Quota#NONE} without quotas. */
    Quota quota() throws ProtocolException {
        if (!imap.hasCapability("QUOTA")) {
            return Quota.NONE;
        }
        jakarta.mail.Quota[] roots = imap.getQuotaRoot(INBOX);
        for (jakarta.mail.Quota root : roots == null ? new jakarta.mail.Quota[0] : roots) {
            for (jakarta.mail.Quota.Resource resource : root.resources == null ? new jakarta.mail.Quota.Resource[0] : root.resources) {
                if ("STORAGE".equalsIgnoreCase(resource.name)) {
                    return new Quota(resource.usage, resource.limit);
                }
            }
        }
        return Quota.NONE;
    }

    /** How many mails INBOX holds; opens it read-only (once). */
    int inboxTotal() throws ProtocolException {
        if (inboxTotal < 0) {
            selected = true;
            inboxTotal = imap.examine(INBOX).total;
        }
        return inboxTotal;
    }

    /**
     * Leaves the mailbox {@link #inboxTotal} opened, if any (UNSELECT, RFC 3691; else CLOSE, which
     * expunges nothing after EXAMINE), so the session is back in the authenticated state: the next
     * request on it (a pooled session) selects afresh and sees what arrived meanwhile.
     */
    void leaveMailbox() throws ProtocolException {
        if (!selected) {
            return;
        }
        if (imap.hasCapability("UNSELECT")) {
            imap.unselect();
        } else {
            imap.close();
        }
        selected = false;
    }

    /** The {@code count} most recently arrived INBOX mails, newest first. */
    List<RecentMail> recentMails(int count) throws ProtocolException {
        int total = inboxTotal();
        if (total == 0 || count <= 0) {
            return List.of();
        }
        Response[] responses = fetch(Math.max(1, total - count + 1), total, "ENVELOPE FLAGS INTERNALDATE RFC822.SIZE");
        List<RecentMail> mails = new ArrayList<>();
        for (Response response : responses) {
            if (response instanceof FetchResponse fetch) {
                ENVELOPE envelope = fetch.getItem(ENVELOPE.class);
                INTERNALDATE arrived = fetch.getItem(INTERNALDATE.class);
                FLAGS flags = fetch.getItem(FLAGS.class);
                RFC822SIZE size = fetch.getItem(RFC822SIZE.class);
                Instant received = arrived == null || arrived.getDate() == null ? null : arrived.getDate().toInstant();
                Date sent = envelope == null ? null : envelope.date;
                mails.add(new RecentMail(envelope == null ? null : from(envelope.from), envelope == null ? null : decode(envelope.subject),
                        sent != null ? sent.toInstant() : received, received, flags != null && flags.contains(Flags.Flag.SEEN),
                        size == null ? 0 : size.size));
            }
        }
        java.util.Collections.reverse(mails);
        return mails;
    }

    /**
     * INBOX mails that arrived after {@code lastLogin} (SEARCH YOUNGER, RFC 5032, on their arrival
     * time; without WITHIN, their INTERNALDATEs compared here); all of them when the user never logged in.
     */
    long newSince(Instant lastLogin, Instant now) throws ProtocolException {
        int total = inboxTotal();
        if (lastLogin == null || total == 0) {
            return total;
        }
        long seconds = now.getEpochSecond() - lastLogin.getEpochSecond();
        if (seconds <= 0) {
            return 0;
        }
        if (imap.hasCapability("WITHIN")) {
            try {
                int[] found = imap.search(new YoungerTerm((int) Math.min(seconds, Integer.MAX_VALUE)));
                return found == null ? 0 : found.length;
            } catch (SearchException e) {
                // fall through to comparing arrival times here
            }
        }
        long count = 0;
        for (Response response : fetch(1, total, "INTERNALDATE")) {
            if (response instanceof FetchResponse fetch) {
                INTERNALDATE arrived = fetch.getItem(INTERNALDATE.class);
                if (arrived != null && arrived.getDate() != null && arrived.getDate().toInstant().isAfter(lastLogin)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** FETCH of messages {@code from} to {@code to} (the items without parentheses); fails unless the server says OK. */
    private Response[] fetch(int from, int to, String items) throws ProtocolException {
        Response[] responses = imap.fetch(from, to, items);
        Response result = responses.length == 0 ? null : responses[responses.length - 1];
        if (result == null || !result.isOK()) {
            throw result == null ? new ProtocolException("no FETCH result") : new ProtocolException(result);
        }
        return responses;
    }

    private static String from(InternetAddress[] from) {
        return from == null || from.length == 0 ? null : from[0].toUnicodeString();
    }

    private static String decode(String subject) {
        if (subject == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(subject);
        } catch (UnsupportedEncodingException e) {
            return subject;
        }
    }
}
