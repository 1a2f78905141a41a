package io.mailplane.notify;

import io.mailplane.common.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Locales of notification templates: BCP 47 language tags of a language, optionally a script and a
 * region ({@code en}, {@code de-CH}, {@code zh-Hant-TW}), stored in their canonical spelling.
 */
public final class TemplateLocale {
    /** The locale every built-in template exists in, and the last fallback. */
    public static final String FALLBACK = "en";
    private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?");

    private TemplateLocale() {
    }

    /** The canonical tag ({@code de-ch} → {@code de-CH}), or 400 naming {@code field}. */
    public static String canonical(String field, String raw) {
        if (raw == null || !TAG.matcher(raw).matches()) {
            throw ApiException.invalid(field, "must be a language tag such as en, de or de-CH");
        }
        return Locale.forLanguageTag(raw).toLanguageTag();
    }

    /** The tag and then its language alone: {@code de-CH} → [de-CH, de]. */
    public static List<String> withLanguage(String tag) {
        List<String> chain = new ArrayList<>(List.of(tag));
        String language = Locale.forLanguageTag(tag).getLanguage();
        if (!language.isEmpty() && !chain.contains(language)) {
            chain.add(language);
        }
        return chain;
    }

    /** The locales to try, best first: the wanted one, its language, then {@link #FALLBACK}. */
    public static List<String> chain(String wanted) {
        List<String> chain = new ArrayList<>(withLanguage(wanted));
        if (!chain.contains(FALLBACK)) {
            chain.add(FALLBACK);
        }
        return chain;
    }
}
