package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Domains and addresses: UTS #46 non-transitional ToASCII against Unicode's own conformance data
 * (a subset of IdnaTestV2.txt), and the platform's rules on top of it.
 */
class AddressesTest {
    private static final String VECTORS = "/idna/IdnaTestV2-subset.txt";
    private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})|\\\\x\\{([0-9A-Fa-f]{1,6})\\}");

    /** One line of IdnaTestV2: the source, and what non-transitional ToASCII must give (empty: an error). */
    static Stream<Arguments> conformance() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = AddressesTest.class.getResourceAsStream(VECTORS)) {
            assertNotNull(in, VECTORS);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                int hash = line.indexOf('#');
                String data = (hash < 0 ? line : line.substring(0, hash)).strip();
                if (data.isEmpty()) {
                    continue;
                }
                String[] columns = data.split(";", -1);
                String source = value(columns[0]);
                String toUnicode = columns[1].isBlank() ? source : value(columns[1]);
                String toUnicodeStatus = columns[2].strip();
                String toAsciiN = columns[3].isBlank() ? toUnicode : value(columns[3]);
                String toAsciiNStatus = columns[4].isBlank() ? toUnicodeStatus : columns[4].strip();
                boolean error = !toAsciiNStatus.isEmpty() && !toAsciiNStatus.equals("[]");
                cases.add(Arguments.of(number, source, error ? Optional.empty() : Optional.of(toAsciiN), toAsciiNStatus));
            }
        }
        assertTrue(cases.size() >= 40, "the subset has " + cases.size() + " lines");
        return cases.stream();
    }

    private static String value(String column) {
        String v = column.strip();
        if (v.equals("\"\"")) {
            return "";
        }
        Matcher m = ESCAPE.matcher(v);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String hex = m.group(1) != null ? m.group(1) : m.group(2);
            int codePoint = Integer.parseInt(hex, 16);
            // \\uD900 stands for one UTF-16 unit (an unpaired surrogate), not a code point to encode
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) != null
                    ? String.valueOf((char) codePoint) : new String(Character.toChars(codePoint))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @ParameterizedTest(name = "line {0}: {1} → {2} {3}")
    @MethodSource("conformance")
    void shouldConvertToAsciiAsUts46NonTransitionalConformanceDataSays(int line, String source, Optional<String> expected, String status) {
        assertEquals(expected, Addresses.toAscii(source));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "straße.de,            xn--strae-oqa.de",
            "STRASSE.de,           strasse.de",
            "Faß.Example,          xn--fa-hia.example",
            "βόλος.com,            xn--nxasmm1c.com",
            "ΒΌΛΟΣ.COM,            xn--nxasmq6b.com",
            "Bücher.Example,       xn--bcher-kva.example",
            "xn--bcher-kva.example, xn--bcher-kva.example",
            "Mail.Example.COM,     mail.example.com",
            "日本語。ＪＰ,            xn--wgv71a119e.jp",
            "a1.com,               a1.com",
            "x.123abc,             x.123abc",
    })
    void shouldStoreDomainsAsLowercaseAsciiKeepingSharpSAndFinalSigma(String raw, String canonical) {
        assertEquals(Optional.of(canonical), Addresses.domain(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "☕", "host.123", "1.2.3.4", "example.com.", "a..example", "-a.example",
            "a-.example", "ab--cd.example", "a_b.example", "a b.example", "a\u200Cb.example", "xn--0.example",
            "xn--u-ccb.example", "a⒈com.example", "a\uD900z.example", "ex$ample.com"})
    void shouldRefuseWhatIsNoDomain(String raw) {
        assertEquals(Optional.empty(), Addresses.domain(raw));
    }

    @Test
    void shouldKeepDomainsAtMost253CharactersAndLabelsAt63() {
        String label63 = "a".repeat(63);
        String name253 = label63 + "." + label63 + "." + label63 + "." + "b".repeat(61);
        assertEquals(253, name253.length());
        assertEquals(Optional.of(name253), Addresses.domain(name253));
        assertEquals(Optional.empty(), Addresses.domain(name253 + "c"));
        assertEquals(Optional.empty(), Addresses.domain("a".repeat(64) + ".example"));
        // Unicode that maps to more than 253 ASCII characters is refused too.
        String wide = "ä".repeat(55);
        assertEquals(Optional.empty(), Addresses.domain(wide + "." + wide + "." + wide + "." + wide + ".example"));
    }

    @Test
    void shouldKeepAddressesAtMost254Characters() {
        String domain = "a".repeat(63) + "." + "a".repeat(63) + "." + "a".repeat(63) + ".example";
        String local = "l".repeat(254 - 1 - domain.length());
        assertEquals(Optional.of(local + "@" + domain), Addresses.address(local + "@" + domain));
        assertEquals(Optional.empty(), Addresses.address(local + "x@" + domain));
        assertEquals(Optional.of("info@xn--strae-oqa.de"), Addresses.address("info@Straße.de"));
        assertEquals(Optional.empty(), Addresses.address("l".repeat(65) + "@x.example"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(quoteCharacter = '"', value = {
            "info@example.com,                 info@example.com",
            "Info.Desk@Example.COM,            Info.Desk@example.com",
            "first.last+tag@mail.example.org,  first.last+tag@mail.example.org",
            "o'brien@example.ie,               o'brien@example.ie",
            "a!#$%&*/=?^_`{|}~-z@example.com,  a!#$%&*/=?^_`{|}~-z@example.com",
            "user@Bücher.Example,              user@xn--bcher-kva.example",
            "user@straße.de,                   user@xn--strae-oqa.de",
            "user@日本語。ＪＰ,                  user@xn--wgv71a119e.jp",
            "user@xn--bcher-kva.example,       user@xn--bcher-kva.example",
    })
    void shouldStoreAddressesWithTheLocalPartAsGivenAndTheDomainCanonical(String raw, String canonical) {
        assertEquals(Optional.of(canonical), Addresses.address(raw));
        assertTrue(Addresses.isAddress(raw));
        assertEquals(canonical, Addresses.require("email", raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "@example.com", "user@", "user@localhost", "user@example", ".user@example.com",
            "user.@example.com", "us..er@example.com", "us er@example.com", "\"quoted\"@example.com", "(comment)user@example.com",
            "jörg@example.com", "user@example.com.", "user@-example.com", "user@exa_mple.com", "user@[192.0.2.1]",
            "user@1.2.3.4", "user＠example.com", "a@b@example.com", "user@example.com ", " user@example.com",
            "user@exa mple.com", "user\n@example.com"})
    void shouldRefuseWhatIsNoAddress(String raw) {
        assertEquals(Optional.empty(), Addresses.address(raw));
        assertFalse(Addresses.isAddress(raw));
        ApiException refusal = assertThrows(ApiException.class, () -> Addresses.require("primaryEmail", raw));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal.code);
        assertEquals(List.of(new Problem.FieldError("primaryEmail", "must be a valid e-mail address")), refusal.errors);
    }

    @Test
    void shouldRefuseMissingAndOversizeInputWithoutLookingAtIt() {
        assertEquals(Optional.empty(), Addresses.toAscii(null));
        assertEquals(Optional.empty(), Addresses.toAscii(""));
        assertEquals(Optional.empty(), Addresses.domain(null));
        assertEquals(Optional.empty(), Addresses.address(null));
        assertFalse(Addresses.isAddress(null));
        // Ignorable characters (soft hyphens) shrink in mapping, but more than 1024 are not looked at.
        String padded = "example" + "\u00AD".repeat(1017) + ".com";
        assertEquals(1028, padded.length());
        assertEquals(Optional.empty(), Addresses.domain(padded));
        assertEquals(Optional.of("example.com"), Addresses.domain("example" + "\u00AD".repeat(1000) + ".com"));
        assertEquals(Optional.empty(), Addresses.address("user@" + "a".repeat(2000) + ".example"));
    }

    @Test
    void shouldAcceptALocalPartOfExactly64Characters() {
        assertEquals(Optional.of("l".repeat(64) + "@x.example"), Addresses.address("l".repeat(64) + "@x.example"));
    }
}
