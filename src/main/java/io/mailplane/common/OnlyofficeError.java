package io.mailplane.common;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The OpenAPI schema of the error envelope {@link Onlyoffice.Envelope#error} writes under
 * {@code /api/2.0/mail/} (documentation only; the envelope itself is built from the exception).
 */
@Schema(name = "OnlyofficeError", description = "ONLYOFFICE error envelope; as XML a <result> element with the same members.",
        requiredProperties = {"status", "statusCode", "error"})
public record OnlyofficeError(
        @Schema(description = "Always 1 for an error", enumeration = "1", format = "int32") int status,
        @Schema(description = "The HTTP status", format = "int32", examples = "400") int statusCode,
        Detail error) {

    @Schema(name = "OnlyofficeErrorDetail", requiredProperties = {"message", "code"}, additionalProperties = String.class)
    public record Detail(
            @Schema(description = "What went wrong, for humans") String message,
            @Schema(description = "Stable machine-readable code", examples = "MAIL_VERIFICATION_FAILED") String code,
            @Schema(description = "The fields that failed validation") List<Problem.FieldError> errors,
            @Schema(description = "Mail verification: which server failed", enumeration = {"IMAP", "POP3", "SMTP"}) String side,
            @Schema(description = "Mail verification: where it failed", enumeration = {"connect", "tls", "auth"}) String phase,
            @Schema(description = "Mail verification: host:port of the server") String server,
            @Schema(description = "Mail verification: what the server said") String reply) {
    }
}
