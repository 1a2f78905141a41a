package io.mailplane.common;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * E-mail addresses and domain names as the platform stores them: RFC 5321 lengths, ASCII
 * dot-atom local part, domain in lowercase ASCII (IDN domains as punycode).
 */
public final class Addresses {
    private static final Pattern LOCAL_PART =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Addresses() {
    }

    /** The canonical form of a domain name, or empty when it is not a valid host name. */
    public static Optional<String> domain(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 253 || raw.endsWith(".")) {
            return Optional.empty();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(raw, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ascii.length() > 253) {
            return Optional.empty();
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        if (labels[labels.length - 1].matches("[0-9]+")) {
            return Optional.empty();
        }
        return Optional.of(ascii);
    }

    /** The canonical form of an address (domain part lowercase punycode), or empty when invalid. */
    public static Optional<String> address(String raw) {
        if (raw == null || raw.length() > 320) {
            return Optional.empty();
        }
        int at = raw.lastIndexOf('@');
        if (at <= 0 || at > 64) {
            return Optional.empty();
        }
        String local = raw.substring(0, at);
        if (!LOCAL_PART.matcher(local).matches()) {
            return Optional.empty();
        }
        return domain(raw.substring(at + 1))
                .map(d -> local + "@" + d)
                .filter(a -> a.length() <= 254);
    }

    public static boolean isAddress(String raw) {
        return address(raw).isPresent();
    }

    /** Canonical address or 400 naming the field. */
    public static String require(String field, String raw) {
        return address(raw).orElseThrow(() -> ApiException.invalid(field, "must be a valid e-mail address"));
    }
}
