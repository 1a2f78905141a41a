package io.mailplane.secondary;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailplane.common.constraints.HostName;
import io.mailplane.common.constraints.Label;
import io.mailplane.common.constraints.MailAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of {@code /oxaas/v1/admin/contexts/{contextid}/secondaryaccounts} (OX's secondary account CLTs). */
public final class SecondaryDtos {
    public static final int MAX_IDS = 10_000;

    private SecondaryDtos() {
    }

    /**
     * A mail or transport endpoint. {@code source}: {@code primary} (the users' primary mail server),
     * {@code localhost}, or {@code none} (server, port and protocol taken from here).
     */
    public record SecondaryEndpoint(@NotNull @Pattern(regexp = "primary|localhost|none", message = "must be primary, localhost or none")
                           @Schema(enumeration = {"primary", "localhost", "none"}) String source,
                           @HostName String server,
                           @Min(1) @Max(65535) Integer port,
                           @Pattern(regexp = "imap|pop3|smtp", message = "must be imap, pop3 or smtp")
                           @Schema(enumeration = {"imap", "pop3", "smtp"}) String protocol,
                           Boolean secure,
                           Boolean starttls) {
    }

    /** Standard folder names; absent ones are found on first access, per user. */
    public record SecondaryFolders(@Label String drafts, @Label String sent, @Label String spam, @Label String trash, @Label String archive) {
    }

    /**
     * Create or grant. {@code users} and/or {@code groups}: at least one id; group {@code 0} is every
     * user of the context. For an address the context has already, absent properties are those of the
     * existing account; for a new one {@code login}, {@code password} and {@code mailEndpoint} are required.
     */
    public record CreateSecondary(@NotNull @MailAddress String primaryAddress,
                                  @Size(max = MAX_IDS) List<@NotNull @Min(1) Integer> users,
                                  @Size(max = MAX_IDS) List<@NotNull @PositiveOrZero Integer> groups,
                                  @Size(min = 1, max = 320) @Pattern(regexp = "[^\\p{Cc}]*") String login,
                                  @Schema(format = "password", writeOnly = true)
                                  @Size(min = 1, max = 1024) @Pattern(regexp = "[^\\p{Cc}]*") String password,
                                  @Label String name,
                                  @Label String personal,
                                  @MailAddress String replyTo,
                                  @Valid SecondaryEndpoint mailEndpoint,
                                  @Valid SecondaryEndpoint transportEndpoint,
                                  @Valid SecondaryFolders folders) {
    }

    /**
     * Changes properties of existing grants: of the given users/groups' entries, or of all entries of
     * the address when neither is given. Never adds or removes a user.
     */
    public record UpdateSecondary(@Size(max = MAX_IDS) List<@NotNull @Min(1) Integer> users,
                                  @Size(max = MAX_IDS) List<@NotNull @PositiveOrZero Integer> groups,
                                  @Size(min = 1, max = 320) @Pattern(regexp = "[^\\p{Cc}]*") String login,
                                  @Schema(format = "password", writeOnly = true)
                                  @Size(min = 1, max = 1024) @Pattern(regexp = "[^\\p{Cc}]*") String password,
                                  @Label String name,
                                  @Label String personal,
                                  @MailAddress String replyTo,
                                  @Valid SecondaryEndpoint mailEndpoint,
                                  @Valid SecondaryEndpoint transportEndpoint,
                                  @Valid SecondaryFolders folders) {
    }

    /** What a create or grant did: users that got the account now and users whose entry was updated. */
    public record SecondaryGrant(String primaryAddress, int accountId, int granted, int updated) {
    }

    /** What an update changed: the number of entries (users) updated. */
    public record SecondaryUpdate(String primaryAddress, int updated) {
    }

    /** One user's entry, OX's {@code listsecondaryaccount} columns (never a password). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SecondaryEntry(long contextId, int userId, int accountId, String primaryAddress, String name,
                                 String personal, String replyTo, String login, String mailServerUri,
                                 String transportLogin, String transportServerUri, SecondaryFolders folders) {
    }
}
