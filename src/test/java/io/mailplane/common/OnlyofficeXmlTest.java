package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * ONLYOFFICE's XML answers without the service: what XML 1.0 cannot carry becomes U+FFFD, markup
 * characters in text come back as text, booleans are True/False and list items {@code <item>}.
 */
class OnlyofficeXmlTest {
    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("plain text", "plain text"),
                Arguments.of("tab\t, line feed\n and carriage return\r stay", "tab\t, line feed\n and carriage return\r stay"),
                Arguments.of("NUL\u0000", "NUL\uFFFD"),
                Arguments.of("\u0001\u0008\u000B\u000C\u001F", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"),
                Arguments.of("DEL \u007F and NEL \u0085 are allowed", "DEL \u007F and NEL \u0085 are allowed"),
                Arguments.of("not characters: \uFFFE \uFFFF", "not characters: \uFFFD \uFFFD"),
                Arguments.of("the replacement character \uFFFD itself", "the replacement character \uFFFD itself"),
                Arguments.of("a pair \uD83D\uDE00 (an emoji) stays", "a pair \uD83D\uDE00 (an emoji) stays"),
                Arguments.of("a lone high surrogate \uD800 in the middle", "a lone high surrogate \uFFFD in the middle"),
                Arguments.of("a lone low surrogate \uDC00", "a lone low surrogate \uFFFD"),
                Arguments.of("high surrogate at the end \uD83D", "high surrogate at the end \uFFFD"),
                Arguments.of("pair the wrong way round \uDE00\uD83D", "pair the wrong way round \uFFFD\uFFFD"),
                Arguments.of("\u0000ok\uD83D\uDE00\uD800", "\uFFFDok\uD83D\uDE00\uFFFD"),
                Arguments.of("", ""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("texts")
    void shouldReplaceWhatXmlCannotCarryWithTheReplacementCharacter(String text, String expected) {
        assertEquals(expected, OnlyofficeXmlWriter.xmlSafe(text));
    }

    @Test
    void shouldHandBackTextThatNeedsNoReplacementAsItIs() {
        String text = "nothing to replace \uD83D\uDE00";
        assertSame(text, OnlyofficeXmlWriter.xmlSafe(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"<b>bold</b>", "Tom & Jerry", "&amp; is already an entity", "say \"hi\"", "it's",
            "]]>", "<![CDATA[not a section]]>", "<?pi?><!-- no comment -->", "a < b > c", "'\"<>&",
            "\u00E9t\u00E9 \u4E2D\u6587 \uD83D\uDE00"})
    void shouldCarryMarkupCharactersAsText(String text) throws Exception {
        Document document = parse(render(Map.of("text", text)));
        assertEquals(text, xpath("/result/response/text", document));
        assertEquals(1, ((NodeList) xpath().evaluate("/result/response/*", document, XPathConstants.NODESET)).getLength());
    }

    @Test
    void shouldMakeWellFormedXmlOfTextXmlCannotCarry() throws Exception {
        Document document = parse(render(Map.of("text", "a\u0000b\uD800c\uFFFFd")));
        assertEquals("a\uFFFDb\uFFFDc\uFFFDd", xpath("/result/response/text", document));
    }

    @Test
    void shouldWriteBooleansAsTrueAndFalseAndNumbersAsText() throws Exception {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("enabled", true);
        response.put("isDefault", false);
        response.put("port", 993);
        response.put("ratio", 0.5);
        Document document = parse(render(response));
        assertEquals("True", xpath("/result/response/enabled", document));
        assertEquals("False", xpath("/result/response/isDefault", document));
        assertEquals("993", xpath("/result/response/port", document));
        assertEquals("0.5", xpath("/result/response/ratio", document));
    }

    @Test
    void shouldWriteListItemsAsItemElementsInOrder() throws Exception {
        String xml = render(List.of("b@example.com", "a@example.com", "c@example.com"));
        Document document = parse(xml);
        assertEquals("3", xpath("/result/count", document));
        assertEquals("0", xpath("/result/status", document));
        assertEquals("200", xpath("/result/statusCode", document));
        assertEquals(3.0, xpath().evaluate("count(/result/response/item)", document, XPathConstants.NUMBER));
        assertEquals("b@example.com", xpath("/result/response/item[1]", document));
        assertEquals("a@example.com", xpath("/result/response/item[2]", document));
        assertEquals("c@example.com", xpath("/result/response/item[3]", document));
    }

    @Test
    void shouldNestObjectsAndListsAndLeaveNullsEmpty() throws Exception {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("email", "user@example.com");
        account.put("signature", null);
        account.put("aliases", List.of(Map.of("address", "alias@example.com"), Map.of("address", "other@example.com")));
        account.put("none", List.of());
        Document document = parse(render(account));
        assertEquals("user@example.com", xpath("/result/response/email", document));
        assertEquals(1.0, xpath().evaluate("count(/result/response/signature)", document, XPathConstants.NUMBER));
        assertEquals("", xpath("/result/response/signature", document));
        assertEquals("other@example.com", xpath("/result/response/aliases/item[2]/address", document));
        assertEquals(0.0, xpath().evaluate("count(/result/response/none/*)", document, XPathConstants.NUMBER));
        // One object is a count of one.
        assertEquals("1", xpath("/result/count", document));
    }

    @Test
    void shouldRenderAnErrorEnvelopeWithItsCodeAndFieldErrors() throws Exception {
        ApiException refusal = ApiException.invalid("email", "must be <a valid> address & more");
        String xml = OnlyofficeXmlWriter.render(Onlyoffice.Envelope.error(refusal));
        Document document = parse(xml);
        assertEquals("1", xpath("/result/status", document));
        assertEquals("400", xpath("/result/statusCode", document));
        assertEquals("VALIDATION_FAILED", xpath("/result/error/code", document));
        assertEquals("email: must be <a valid> address & more", xpath("/result/error/message", document));
        assertEquals("email", xpath("/result/error/errors/item/field", document));
        assertEquals(0.0, xpath().evaluate("count(/result/response)", document, XPathConstants.NUMBER));
        assertEquals(0.0, xpath().evaluate("count(/result/count)", document, XPathConstants.NUMBER));
    }

    @Test
    void shouldDeclareUtf8AndEncodeInIt() throws Exception {
        String xml = render(Map.of("name", "J\u00F6rg \uD83D\uDE00"));
        assertFalse(xml.isEmpty());
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", xml.substring(0, xml.indexOf("?>") + 2).replace('\'', '"'));
        assertEquals("J\u00F6rg \uD83D\uDE00", xpath("/result/response/name", parse(xml)));
    }

    private static String render(Object response) {
        return OnlyofficeXmlWriter.render(Onlyoffice.Envelope.ok(200, response));
    }

    /** Parses strictly: a document that is not well-formed fails the test. */
    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static XPath xpath() {
        return XPathFactory.newInstance().newXPath();
    }

    private static String xpath(String expression, Document document) throws Exception {
        return xpath().evaluate(expression, document);
    }
}
