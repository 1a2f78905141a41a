package io.mailplane.users;

import io.mailplane.directory.MailUser;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailplane.common.constraints.Label;
import io.mailplane.common.constraints.Login;
import io.mailplane.common.constraints.MailAddress;
import io.mailplane.common.constraints.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/** Wire shapes of {@code /oxaas/v1/admin/contexts/{contextid}/users}. */
public final class UserDtos {
    public static final int MAX_ALIASES = 100;

    private UserDtos() {
    }

    public record CreateUser(@NotNull @Login String name,
                             @NotNull @Secret String password,
                             @NotNull @Label String displayName,
                             @NotNull @MailAddress String primaryEmail,
                             @Size(max = MAX_ALIASES) List<@NotNull @MailAddress String> aliases,
                             @Min(0) @Max(1_000_000_000L) Long quotaMb) {
    }

    /** Every field optional: what is present replaces the stored value ({@code aliases} as a whole). */
    public record UpdateUser(@Label String displayName,
                             @MailAddress String primaryEmail,
                             @Size(max = MAX_ALIASES) List<@NotNull @MailAddress String> aliases,
                             @Min(0) @Max(1_000_000_000L) Long quotaMb) {
    }

    public record PasswordChange(@NotNull @Secret String password) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UserView(int id, long contextId, String name, String displayName, String primaryEmail,
                           List<String> aliases, Long quotaMb, Instant lastLogin,
                           @Schema(description = "Whether the user has a mailbox (every user has one from its creation until"
                                   + " DELETE .../mailboxes/{id}): receives mail at its addresses and may log in to IMAP/POP3.")
                           boolean mailEnabled) {
        public static UserView of(MailUser u) {
            return new UserView(u.userId, u.contextId, u.uidname, u.displayName, u.primaryEmail,
                    List.copyOf(u.aliases), u.quotaMb, u.lastLoginAt, u.mailEnabled);
        }
    }

    public record Aliases(List<String> aliases) {
    }
}
