package io.mailplane.shared;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mailplane.common.ApiException;
import io.mailplane.common.constraints.Label;
import io.mailplane.common.constraints.MailAddress;
import io.mailplane.common.constraints.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of shared accounts ({@code /oxaas/v1/admin/contexts/{contextid}/sharedaccounts}, {@code /api/2.0/sharedaccounts}). */
public final class SharedDtos {
    private SharedDtos() {
    }

    /** The account types of seed 002; those with a password require MFA. */
    public enum Type {
        MAILBOX("mailbox", false, true), SSO("sso", true, false), MAILBOX_SSO("mailbox_sso", true, true);

        public final String wire;
        public final boolean password;
        public final boolean mail;

        Type(String wire, boolean password, boolean mail) {
            this.wire = wire;
            this.password = password;
            this.mail = mail;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        public static Optional<Type> of(String wire) {
            for (Type t : values()) {
                if (t.wire.equals(wire)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** Delegate permissions, stored as a bit set (V16): 1 read, 2 send_as, 4 send_on_behalf, 8 manage. */
    public enum Permission {
        READ("read", 1), SEND_AS("send_as", 2), SEND_ON_BEHALF("send_on_behalf", 4), MANAGE("manage", 8);

        public final String wire;
        public final int bit;

        Permission(String wire, int bit) {
            this.wire = wire;
            this.bit = bit;
        }

        /** The bit set of these wire names; 400 for an unknown one or none. */
        static int bits(List<String> names) {
            int bits = 0;
            for (String name : names) {
                Permission p = null;
                for (Permission candidate : values()) {
                    if (candidate.wire.equals(name)) {
                        p = candidate;
                    }
                }
                if (p == null) {
                    throw ApiException.invalid("permissions", "each must be one of read, send_as, send_on_behalf, manage");
                }
                bits |= p.bit;
            }
            if (bits == 0) {
                throw ApiException.invalid("permissions", "give at least one of read, send_as, send_on_behalf, manage");
            }
            return bits;
        }

        static List<String> names(int bits) {
            List<String> names = new ArrayList<>(4);
            for (Permission p : values()) {
                if ((bits & p.bit) != 0) {
                    names.add(p.wire);
                }
            }
            return names;
        }
    }

    @Schema(name = "CreateSharedAccount")
    public record CreateShared(
            @NotNull @MailAddress @Schema(description = "The account's address: its primary address and login") String address,
            @Label @Schema(description = "Display name; default: the address") String displayName,
            @NotNull @Schema(description = "mailbox (no password, used through delegation; the recommended default), sso (a login"
                    + " with MFA, no mailbox) or mailbox_sso (both)", enumeration = {"mailbox", "sso", "mailbox_sso"}) String type,
            @NotNull @Min(1) @Max(Integer.MAX_VALUE) @Schema(description = "user id of the owner: a user of the context that is no shared account")
            Long owner,
            @Secret @Schema(description = "Required for sso and mailbox_sso, refused for mailbox") String password) {
    }

    /**
     * Every field optional. {@code password}: a string sets it (a mailbox account becomes
     * mailbox_sso, enrolled in MFA); an explicit {@code null} removes it (mailbox_sso becomes
     * mailbox; 400 for sso, which has no mailbox); absent keeps it. A class, not a record, so an
     * explicit null can be told from an absent field.
     */
    @Schema(name = "UpdateSharedAccount")
    public static final class UpdateShared {
        @Label
        private String displayName;
        @Min(1)
        @Max(Integer.MAX_VALUE)
        @Schema(description = "user id of the new owner (transfer)")
        private Long owner;
        @Secret
        @Schema(nullable = true, description = "a new password; null removes it (mailbox_sso → mailbox); absent keeps it")
        private String password;
        private boolean passwordGiven;

        public String getDisplayName() {
            return displayName;
        }

        public void setDisplayName(String displayName) {
            this.displayName = displayName;
        }

        public Long getOwner() {
            return owner;
        }

        public void setOwner(Long owner) {
            this.owner = owner;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
            this.passwordGiven = true;
        }

        /** Whether the body named the password (also as null). */
        @JsonIgnore
        public boolean passwordGiven() {
            return passwordGiven;
        }
    }

    @Schema(name = "SharedAccountDelegation")
    public record Delegation(
            @NotNull @Size(min = 1, max = 4) @Schema(description = "any of read, send_as, send_on_behalf, manage (manage: may change delegates)",
                    type = SchemaType.ARRAY, implementation = String.class) List<@NotNull String> permissions,
            @Schema(description = "end of the delegation (ISO-8601 instant, in the future); absent = no end") Instant until) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "SharedAccountDelegate")
    public record DelegateView(
            @Schema(enumeration = {"user", "group"}) String kind,
            @Schema(description = "user id or group id") int id,
            @Schema(description = "the user's login or the group's name") String name,
            List<String> permissions,
            Instant until) {
    }

    /** What an MFA enrolment shows once. */
    @Schema(name = "SharedAccountMfa")
    public record MfaView(@Schema(description = "otpauth://totp/... URI with the new secret; shown once") String otpauthUri) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SharedAccount")
    public record SharedAccountView(
            String address,
            String displayName,
            @Schema(enumeration = {"mailbox", "sso", "mailbox_sso"}) String type,
            @Schema(description = "user id of the backing user (the account is a user of the context)") int userId,
            @Schema(description = "user id of the owner") int owner,
            String ownerLogin,
            @Schema(description = "Whether the account receives mail (types mailbox, mailbox_sso)") boolean mailEnabled,
            @Schema(description = "current delegations (expired ones are left out)") List<DelegateView> delegates,
            @Schema(description = "only in the answer of the write that enrolled the account in MFA") MfaView mfa,
            Instant createdAt,
            @JsonIgnore long version) {
        SharedAccountView withMfa(MfaView enrolment) {
            return new SharedAccountView(address, displayName, type, userId, owner, ownerLogin, mailEnabled, delegates, enrolment,
                    createdAt, version);
        }
    }

    /** A shared account the caller may use, with the caller's effective permissions (its own and its groups' delegations). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "DelegatedSharedAccount")
    public record DelegatedView(String address, String displayName,
                                @Schema(enumeration = {"mailbox", "sso", "mailbox_sso"}) String type,
                                String ownerLogin,
                                @Schema(description = "union of the caller's own and its groups' current delegations") List<String> permissions) {
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
