package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JSON or XML under ONLYOFFICE's {@code /api/2.0/mail/}, without the service: by {@code Accept}
 * (q-values, the most specific range per type, JSON on ties and when nothing fits) and by the
 * {@code .xml}/{@code .json} path suffix, which wins over {@code Accept}.
 */
class OnlyofficeNegotiationTest {
    private static final String PATH = "/api/2.0/mail/accounts";

    @ParameterizedTest(name = "Accept: {0} → {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL                                                  | application/json",
            "''                                                    | application/json",
            "'   '                                                 | application/json",
            "application/json                                      | application/json",
            "application/xml                                       | application/xml",
            "text/xml                                              | text/xml",
            "APPLICATION/XML                                       | application/xml",
            "application/xml; charset=UTF-8                        | application/xml",
            "' application/xml ; q=0.5 '                           | application/xml",
            "*/*                                                   | application/json",
            "application/*                                         | application/json",
            "text/*                                                | text/xml",
            "text/html                                             | application/json",
            "text/html, application/xml;q=0.1                      | application/xml",
            "application/xml;q=0.9, application/json;q=0.8         | application/xml",
            "application/json;q=0.5, application/xml               | application/xml",
            "application/json;q=0.5, text/xml;q=0.5, application/xml;q=0.5 | application/json",
            "application/xml;q=0.5, text/xml;q=0.6                 | text/xml",
            "application/xml;q=0, */*                              | application/json",
            "application/json;q=0, */*;q=0.5                       | application/xml",
            "application/json;q=0, application/xml;q=0, text/xml;q=0 | application/json",
            "application/*;q=0.9, application/json;q=0.1           | application/xml",
            "application/json;q=0.1, */*;q=0.9                     | application/xml",
            "application/xml;q=abc                                 | application/json",
    })
    void shouldPickTheRepresentationTheAcceptHeaderPrefers(String accept, String expected) {
        assertEquals(MediaType.valueOf(expected), Onlyoffice.negotiate(accept));
    }

    @ParameterizedTest(name = "{0} with Accept: {1} → XML {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            PATH + ".xml  | NULL                                     | true",
            PATH + ".xml  | application/json                         | true",
            PATH + ".json | application/xml                          | false",
            PATH + ".json | NULL                                     | false",
            PATH + "      | application/xml                          | true",
            PATH + "      | text/xml                                 | true",
            PATH + "      | application/json;q=0.1, application/xml;q=0.2 | true",
            PATH + "      | NULL                                     | false",
            PATH + "      | */*                                      | false",
            PATH + "      | text/html                                | false",
            PATH + "/7    | application/xml;q=0.2, application/json  | false",
    })
    void shouldLetThePathSuffixWinOverTheAcceptHeader(String path, String accept, boolean xml) {
        assertEquals(xml, Onlyoffice.answersInXml(path, accept));
    }
}
