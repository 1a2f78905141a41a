package io.mailplane.mailaccounts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.mailplane.common.constraints.HostName;
import io.mailplane.common.constraints.MailAddress;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Request and response bodies of {@code /api/2.0/mail/}; field names are ONLYOFFICE's, so
 * validation errors name the fields exactly as clients send them.
 */
public final class MailAccountDtos {
    /** ONLYOFFICE's date-time form: {@code 2020-10-01T17:04:32.0000000} (UTC). */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
    static final String NO_CONTROL = "[^\\p{Cc}]*";

    private MailAccountDtos() {
    }

    /**
     * {@code POST|PUT /api/2.0/mail/accounts}. Omitted logins default to the address; an omitted
     * SMTP password defaults to the incoming one; an empty or omitted password on an existing
     * account keeps the stored one.
     */
    public record AccountRequest(
            @Size(max = 255) @Pattern(regexp = NO_CONTROL) String name,
            @NotNull @MailAddress String email,
            @Size(min = 1, max = 320) @Pattern(regexp = NO_CONTROL) String account,
            @Size(max = 8192) @Pattern(regexp = NO_CONTROL) String password,
            @Min(1) @Max(65535) Integer port,
            @NotNull @HostName String server,
            @Size(min = 1, max = 320) @Pattern(regexp = NO_CONTROL) String smtp_account,
            @Size(max = 8192) @Pattern(regexp = NO_CONTROL) String smtp_password,
            @Min(1) @Max(65535) Integer smtp_port,
            @NotNull @HostName String smtp_server,
            Boolean smtp_auth,
            Boolean imap,
            Boolean restrict,
            Encryption incoming_encryption_type,
            Encryption outcoming_encryption_type,
            AuthType auth_type_in,
            AuthType auth_type_smtp) {
    }

    public record SimpleRequest(@NotNull @MailAddress String email,
                                @NotNull @Size(min = 1, max = 8192) @Pattern(regexp = NO_CONTROL) String password) {
    }

    public record StateRequest(@NotNull @MailAddress String email, @NotNull Boolean state) {
    }

    public record DefaultRequest(@NotNull @MailAddress String email, @NotNull Boolean isDefault) {
    }

    public record SignatureRequest(@Size(max = 65536) String html, @NotNull Boolean isActive) {
    }

    public record AutoreplyRequest(@NotNull Boolean turnOn, Boolean onlyContacts, Boolean turnOnToDate,
                                   @Size(max = 40) String fromDate, @Size(max = 40) String toDate,
                                   @Size(max = 255) @Pattern(regexp = NO_CONTROL) String subject,
                                   @Size(max = 65536) String html) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"mailboxId", "html", "isActive"})
    public record Signature(long mailboxId, String html, boolean isActive) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"mailboxId", "turnOn", "onlyContacts", "turnOnToDate", "fromDate", "toDate", "subject", "html"})
    public record Autoreply(long mailboxId, boolean turnOn, boolean onlyContacts, boolean turnOnToDate,
                            String fromDate, String toDate, String subject, String html) {
    }

    /**
     * An account as ONLYOFFICE shows it, followed by its server settings (never its secrets).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"mailboxId", "email", "enabled", "name", "oAuthConnection", "signature", "autoreply",
            "eMailInFolder", "quotaError", "authError", "isGroup", "isAlias", "isTeamlabMailbox", "isDefault",
            "isSharedDomainMailbox"})
    public record Account(long mailboxId, String email, boolean enabled, String name, boolean oAuthConnection,
                          Signature signature, Autoreply autoreply, String eMailInFolder, boolean quotaError,
                          boolean authError, boolean isGroup, boolean isAlias, boolean isTeamlabMailbox,
                          boolean isDefault, boolean isSharedDomainMailbox,
                          boolean imap, boolean restrict, String server, int port, String account,
                          Encryption incoming_encryption_type, AuthType auth_type_in,
                          String smtp_server, int smtp_port, String smtp_account, boolean smtp_auth,
                          Encryption outcoming_encryption_type, AuthType auth_type_smtp) {

        static Account of(MailAccount a) {
            return new Account(a.id, a.email, a.enabled, a.name, a.inAuth == AuthType.OAuth2.code,
                    MailAccountDtos.signature(a), MailAccountDtos.autoreply(a), null, false, false, false, false, false, a.isDefault, false,
                    a.imap, a.restrictImport, a.inServer, a.inPort, a.inLogin,
                    Encryption.ofCode(a.inEncryption), AuthType.ofCode(a.inAuth),
                    a.smtpServer, a.smtpPort, a.smtpLogin, a.smtpAuth,
                    Encryption.ofCode(a.smtpEncryption), AuthType.ofCode(a.smtpAuthType));
        }
    }

    static Signature signature(MailAccount a) {
        return new Signature(a.id, a.signatureHtml == null ? "" : a.signatureHtml, a.signatureActive);
    }

    static Autoreply autoreply(MailAccount a) {
        return new Autoreply(a.id, a.autoreplyOn, a.autoreplyOnlyContacts, a.autoreplyToDate,
                a.autoreplyFrom == null ? null : DATE_TIME.format(a.autoreplyFrom),
                a.autoreplyTo == null ? null : DATE_TIME.format(a.autoreplyTo),
                a.autoreplySubject == null ? "" : a.autoreplySubject,
                a.autoreplyHtml == null ? "" : a.autoreplyHtml);
    }

    /** What a context admin sees of a user's external account (offboarding): no secrets. */
    @JsonPropertyOrder({"mailboxId", "email", "name", "enabled", "isDefault", "protocol", "server", "port",
            "smtpServer", "smtpPort", "created"})
    /** The OpenAPI schema of {@code {"mailaccounts":[...]}} (documentation only). */
    @Schema(name = "UserMailAccounts", requiredProperties = "mailaccounts")
    public record AdminList(List<AdminView> mailaccounts) {
    }

    public record AdminView(long mailboxId, String email, String name, boolean enabled, boolean isDefault,
                            String protocol, String server, int port, String smtpServer, int smtpPort,
                            java.time.Instant created) {
        static AdminView of(MailAccount a) {
            return new AdminView(a.id, a.email, a.name, a.enabled, a.isDefault, a.imap ? "IMAP" : "POP3",
                    a.inServer, a.inPort, a.smtpServer, a.smtpPort, a.createdAt);
        }
    }
}
