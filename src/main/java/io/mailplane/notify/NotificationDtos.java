package io.mailplane.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of {@code /oxaas/v1/admin/notification}. */
public final class NotificationDtos {
    public static final int MAX_SUBJECT = 255;
    public static final int MAX_TEXT = 65_536;
    public static final int MAX_HTML = 262_144;

    private NotificationDtos() {
    }

    // Components are named as on the wire (snake_case), so validation errors name the JSON field.

    /** OX's over-quota body; {@code usage} is ours: what the mailbox uses now, when the caller knows it. */
    public record OverQuota(
            @Min(0) @Max(1_000_000_000_000L)
            @Schema(description = "the user quota threshold (MB), for the template's quota_threshold") Long quota_threshold,
            @Min(0) @Max(1_000_000_000_000L) @Schema(description = "what the mailbox uses now (MB), for the template's usage") Long usage) {
    }

    /** OX's answer: the message as rendered and queued (its text part). */
    public record Mail(@Schema(description = "the message content") String mail) {
    }

    /** A brand's template: subject (one line), text and an optional HTML alternative; Qute syntax. */
    public record TemplateBody(
            @NotBlank @Size(max = MAX_SUBJECT) @Pattern(regexp = ONE_LINE, message = "must be one line without control characters") String subject,
            @NotBlank @Size(max = MAX_TEXT) @Pattern(regexp = LINES, message = "must not contain control characters other than tabs and line breaks") String text,
            @Size(max = MAX_HTML) @Pattern(regexp = LINES, message = "must not contain control characters other than tabs and line breaks") String html) {
    }

    /** No control characters at all (C0, DEL, C1). */
    static final String ONE_LINE = "[^\\p{Cc}]*";
    /** No control characters but tab, line feed and carriage return. */
    static final String LINES = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*";

    /** A template as a brand sees it: its own ({@code brand}), a parent brand's ({@code inherited}) or {@code builtin}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TemplateView(String kind, String locale, String subject, String text, String html,
                               @Schema(enumeration = {"brand", "inherited", "builtin"}) String source) {
        static TemplateView of(TemplateService.Resolved t) {
            return new TemplateView(t.kind().wire, t.locale(), t.parts().subject(), t.parts().text(), t.parts().html(), t.source());
        }
    }

    /** The brand's default locale, used for its users' mails. */
    public record Settings(@NotNull String default_locale) {
    }

    public record SettingsView(@JsonProperty("default_locale") String defaultLocale,
                               @Schema(enumeration = {"brand", "inherited", "builtin"}) String source) {
    }
}
