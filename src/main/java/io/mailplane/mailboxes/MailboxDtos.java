package io.mailplane.mailboxes;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mailplane.common.ApiException;
import io.mailplane.common.constraints.Label;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.MailAddress;
import io.mailplane.common.constraints.Secret;
import io.mailplane.directory.MailUser;
import io.mailplane.users.UserDtos;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Wire shapes of {@code /oxaas/v1/admin/contexts/{contextid}/mailboxes}; field names are those of
 * Exchange's {@code pem.exchange.addMailbox}, so validation errors name the fields as clients send them.
 */
public final class MailboxDtos {
    /** KB in one MB: a size limit is a whole number of MB, the unit of the user's mail quota. */
    public static final long KB_PER_MB = 1024;
    /** The largest size limit: the largest user quota (1,000,000,000 MB) in KB. */
    public static final long MAX_SIZE_LIMIT_KB = 1_000_000_000L * KB_PER_MB;
    /** A mailbox alias: an RFC 5322 dot-atom of 1-64 ASCII characters, like the local part of an address. */
    static final String ALIAS = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
    static final String ALIAS_MESSAGE = "must be 1-64 characters: letters, digits and !#$%&'*+/=?^_`{|}~- in dot-separated parts";

    private MailboxDtos() {
    }

    @Schema(description = "The service user to create (or, when a user with this login exists in the context, to give the mailbox to).")
    public record NewUser(
            @NotNull @Login String login,
            @Secret @Schema(description = "Omitted: a strong password is generated and answered once, in the 201 response.") String password,
            @Label @Schema(description = "Omitted: the login.") String display_name) {
    }

    /** {@code POST .../mailboxes}: exactly one of {@code user_id} and {@code new_user}. */
    public record CreateMailbox(
            @Positive @Schema(description = "The existing user (user id within the context) that gets the mailbox; excludes new_user.") Integer user_id,
            @Valid @Schema(description = "The user to create; excludes user_id.") NewUser new_user,
            @NotNull @Size(min = 1, max = 64) @Pattern(regexp = ALIAS, message = ALIAS_MESSAGE)
            @Schema(description = "The mailbox alias (mail nickname), unique within the context.") String alias,
            @NotNull @MailAddress @Schema(description = "The From/Reply-To address: becomes the user's primary address.") String primary_email_address,
            @Schema(description = "Outlook Web Access; default true.") Boolean owa,
            @Schema(description = "Outlook (MAPI); default true.") Boolean mapi,
            @Schema(description = "ActiveSync; default true.") Boolean active_sync,
            @Schema(description = "Whether the mail server lets the user in over IMAP; default true.") Boolean imap4,
            @Schema(description = "Whether the mail server lets the user in over POP3; default true.") Boolean pop3,
            @NotNull @Min(KB_PER_MB) @Max(MAX_SIZE_LIMIT_KB)
            @Schema(description = "Size limit in KB, a multiple of 1024 (whole MB): the user's mail quota is size_limit / 1024 MB.") Long size_limit,
            @Size(max = UserDtos.MAX_ALIASES)
            @Schema(description = "More addresses of the mailbox, each on a domain of the context or a shared domain of its brand: they replace the user's aliases.")
            List<@NotNull @MailAddress String> alt_email_addresses,
            @Schema(description = "Skip initialising the standard folders; default false.") Boolean skip_initialization,
            @Schema(description = "Mark the mailbox as migrated from an external system; default false.") Boolean mark_migrated) {
    }

    /** {@code PUT .../mailboxes/{mailboxid}}: every field optional; what is present replaces the stored value. */
    public record UpdateMailbox(
            @Size(min = 1, max = 64) @Pattern(regexp = ALIAS, message = ALIAS_MESSAGE) String alias,
            @MailAddress String primary_email_address,
            Boolean owa,
            Boolean mapi,
            Boolean active_sync,
            Boolean imap4,
            Boolean pop3,
            @Min(KB_PER_MB) @Max(MAX_SIZE_LIMIT_KB) @Schema(description = "Size limit in KB, a multiple of 1024 (whole MB).") Long size_limit,
            @Size(max = UserDtos.MAX_ALIASES) @Schema(description = "Replaces the addresses as a whole.")
            List<@NotNull @MailAddress String> alt_email_addresses,
            Boolean mark_migrated) {
    }

    /** The 201 answer: the mailbox's id and, only when it was generated, the new user's password. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"mailbox_id", "password"})
    public record Created(
            long mailbox_id,
            @Schema(description = "The generated password of the new user; present only when new_user had none. Shown once: never answered again.")
            String password,
            @JsonIgnore long version) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"mailbox_id", "user_id", "login", "display_name", "alias", "primary_email_address", "alt_email_addresses",
            "owa", "mapi", "active_sync", "imap4", "pop3", "size_limit", "skip_initialization", "mark_migrated"})
    public record MailboxView(
            long mailbox_id,
            int user_id,
            String login,
            String display_name,
            String alias,
            String primary_email_address,
            List<String> alt_email_addresses,
            boolean owa,
            boolean mapi,
            boolean active_sync,
            boolean imap4,
            boolean pop3,
            @Schema(description = "Size limit in KB: the user's mail quota in MB times 1024; null when the user has no quota.") Long size_limit,
            boolean skip_initialization,
            boolean mark_migrated,
            @JsonIgnore long version) {

        static MailboxView of(Mailbox m, MailUser u) {
            return new MailboxView(m.id, u.userId, u.uidname, u.displayName, m.alias, u.primaryEmail, List.copyOf(u.aliases),
                    m.owa, m.mapi, m.activeSync, m.imap4, m.pop3, u.quotaMb == null ? null : u.quotaMb * KB_PER_MB,
                    m.skipInitialization, m.migrated, MailboxDtos.version(m, u));
        }
    }

    /**
     * The mailbox's ETag: its own version plus its user's. Both only ever grow, so the sum moves
     * whenever either changes (a user's addresses and quota are part of the mailbox).
     */
    static long version(Mailbox m, MailUser u) {
        return (long) m.version + u.version;
    }

    /** The user's quota in MB for a size limit in KB; 400 unless it is a whole number of MB. */
    static Long quotaMb(Long sizeLimitKb) {
        if (sizeLimitKb == null) {
            return null;
        }
        if (sizeLimitKb % KB_PER_MB != 0) {
            throw ApiException.invalid("size_limit", "must be a whole number of MB: a multiple of 1024 KB");
        }
        return sizeLimitKb / KB_PER_MB;
    }
}
