package io.mailplane.common;

import com.ibm.icu.text.IDNA;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * E-mail addresses and domain names as the platform stores them: RFC 5321 lengths, ASCII
 * dot-atom local part, domain in lowercase ASCII (IDN domains as punycode, by UTS #46
 * non-transitional processing, so {@code straße.de} stays {@code xn--strae-oqa.de} and is not
 * folded into {@code strasse.de}).
 */
public final class Addresses {
    /** The longest domain name (RFC 1035, without the root's trailing dot). */
    public static final int MAX_DOMAIN = 253;
    /** The longest local part (RFC 5321). */
    public static final int MAX_LOCAL_PART = 64;
    /** The longest address (RFC 5321's path limit of 256 less the angle brackets). */
    public static final int MAX_ADDRESS = 254;
    /** Inputs longer than this are not looked at: mapping (ignored characters, compatibility forms) never needs more. */
    private static final int MAX_DOMAIN_INPUT = 1024;

    private static final Pattern LOCAL_PART =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /**
     * UTS #46 with the flags of its conformance data: non-transitional (ß, ς, ZWJ and ZWNJ are kept),
     * CheckHyphens, CheckBidi, CheckJoiners and UseSTD3ASCIIRules. Instances are immutable and thread-safe.
     */
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE
            | IDNA.USE_STD3_RULES | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);

    private Addresses() {
    }

    /**
     * UTS #46 ToASCII (non-transitional, with VerifyDnsLength: no empty label, also not a trailing
     * root label, labels of at most 63 and names of at most 253 characters), or empty on any error.
     */
    public static Optional<String> toAscii(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_DOMAIN_INPUT) {
            return Optional.empty();
        }
        IDNA.Info info = new IDNA.Info();
        String ascii = UTS46.nameToASCII(raw, new StringBuilder(raw.length() + 16), info).toString();
        if (info.hasErrors() || ascii.isEmpty() || ascii.length() > MAX_DOMAIN || ascii.endsWith(".")) {
            return Optional.empty();
        }
        return Optional.of(ascii);
    }

    /**
     * The canonical form of a domain name, or empty when it is not a valid host name: UTS #46
     * ToASCII, then at least two labels of letters, digits and inner hyphens, and a top-level
     * label that is not all digits.
     */
    public static Optional<String> domain(String raw) {
        Optional<String> ascii = toAscii(raw);
        if (ascii.isEmpty()) {
            return Optional.empty();
        }
        String[] labels = ascii.get().split("\\.", -1);
        if (labels.length < 2) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return ascii;
    }

    /** The canonical form of an address (domain part lowercase punycode), or empty when invalid. */
    public static Optional<String> address(String raw) {
        if (raw == null || raw.length() > MAX_LOCAL_PART + 1 + MAX_DOMAIN_INPUT) {
            return Optional.empty();
        }
        int at = raw.lastIndexOf('@');
        if (at <= 0 || at > MAX_LOCAL_PART) {
            return Optional.empty();
        }
        String local = raw.substring(0, at);
        if (!LOCAL_PART.matcher(local).matches()) {
            return Optional.empty();
        }
        return domain(raw.substring(at + 1))
                .map(d -> local + "@" + d)
                .filter(a -> a.length() <= MAX_ADDRESS);
    }

    public static boolean isAddress(String raw) {
        return address(raw).isPresent();
    }

    /** Canonical address or 400 naming the field. */
    public static String require(String field, String raw) {
        return address(raw).orElseThrow(() -> ApiException.invalid(field, "must be a valid e-mail address"));
    }
}
