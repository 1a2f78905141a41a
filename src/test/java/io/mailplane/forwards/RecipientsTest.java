package io.mailplane.forwards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The recipients of an alias are canonicalised before anything is stored (no database, no server). */
class RecipientsTest {
    private static final String ALIAS = "team@example.com";
    private static final int MAX = 3;

    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                Arguments.of(List.of("bob@example.com"), List.of("bob@example.com")),
                Arguments.of(List.of("Bob@EXAMPLE.com"), List.of("Bob@example.com")),
                Arguments.of(List.of("carol@x.example", "alice@x.example"), List.of("alice@x.example", "carol@x.example")),
                Arguments.of(List.of("Bob@x.example", "bob@X.EXAMPLE", "BOB@x.example"), List.of("Bob@x.example")),
                Arguments.of(List.of("a@b\u00fccher.example"), List.of("a@xn--bcher-kva.example")),
                Arguments.of(List.of("a@x.example", "a@x.example", "b@x.example"), List.of("a@x.example", "b@x.example")));
    }

    @ParameterizedTest
    @MethodSource("canonicalForms")
    void recipientsAreCanonicalSortedAndFreeOfCaseDuplicates(List<String> raw, List<String> expected) {
        assertEquals(expected, Recipients.canonical(ALIAS, raw, MAX));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(List.of(), "name at least one recipient"),
                Arguments.of(List.of("a@x.example", "b@x.example", "c@x.example", "d@x.example"), "at most 3 recipients"),
                Arguments.of(List.of("not an address"), "must be a valid e-mail address"),
                Arguments.of(List.of("a@x.example", "@x.example"), "must be a valid e-mail address"),
                Arguments.of(Arrays.asList("a@x.example", null), "must be a valid e-mail address"),
                Arguments.of(List.of("TEAM@Example.com"), "an alias cannot forward to itself"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void badRecipientsAreA400NamingTheRecipientField(List<String> raw, String message) {
        ApiException refused = assertThrows(ApiException.class, () -> Recipients.canonical(ALIAS, raw, MAX));
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.code);
        assertEquals("recipient", refused.errors.get(0).field());
        assertEquals(message, refused.errors.get(0).message());
    }
}
