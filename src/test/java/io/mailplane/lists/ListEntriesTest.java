package io.mailplane.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mailplane.common.ApiException;
import io.mailplane.common.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A list entry is an address, {@code *@domain} or a domain, stored canonically (no database, no server). */
class ListEntriesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "spam@example.com       | spam@example.com",
            "Spam@EXAMPLE.com       | Spam@example.com",
            "*@Example.COM          | *@example.com",
            "example.com            | example.com",
            "MAIL.Example.com       | mail.example.com",
            "b\u00fccher.example    | xn--bcher-kva.example",
            "*@b\u00fccher.example  | *@xn--bcher-kva.example",
            "x@b\u00fccher.example  | x@xn--bcher-kva.example"})
    void entriesAreStoredWithTheirDomainInLowercasePunycode(String raw, String canonical) {
        assertEquals(canonical, ListService.canonicalEntry(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "*@                | *@ must be followed by a valid domain",
            "*@nodot           | *@ must be followed by a valid domain",
            "*@*.example.com   | *@ must be followed by a valid domain",
            "a*@example.com    | * may only stand for the whole local part, as in *@domain",
            "*.example.com     | * may only stand for the whole local part, as in *@domain",
            "*                 | * may only stand for the whole local part, as in *@domain",
            "@example.com      | must be an address, *@domain or a domain",
            "two words@x.com   | must be an address, *@domain or a domain",
            "localhost         | must be an address, *@domain or a domain",
            "NULL              | must be an address, *@domain or a domain"})
    void anythingElseIsA400NamingTheValue(String raw, String message) {
        ApiException refused = assertThrows(ApiException.class, () -> ListService.canonicalEntry(raw));
        assertEquals(ErrorCode.VALIDATION_FAILED, refused.code);
        assertEquals("value", refused.errors.get(0).field());
        assertEquals(message, refused.errors.get(0).message());
    }
}
