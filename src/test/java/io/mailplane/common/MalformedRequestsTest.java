package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.RawHttp.Answer;
import io.mailplane.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests that are not valid HTTP, or that the HTTP layer refuses before any resource runs, get
 * the API's usual refusal: problem+json (the ONLYOFFICE envelope under /api/2.0/mail/) with a
 * request id, and never an ERROR in the log.
 */
@QuarkusTest
class MalformedRequestsTest {
    private static final String RESELLERS = "/oxaas/v1/admin/resellers";

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] get(String target, String headers) {
        return bytes("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");
    }

    /** Each request, and the status the HTTP layer must refuse it with. */
    private static Map<String, Map.Entry<byte[], Integer>> malformed() {
        Map<String, Map.Entry<byte[], Integer>> cases = new LinkedHashMap<>();
        cases.put("bare LF in a header", Map.entry(get(RESELLERS, "X-Note: a\nb\r\n"), 400));
        cases.put("bare CR in a header", Map.entry(get(RESELLERS, "X-Note: a\rb\r\n"), 400));
        cases.put("NUL in a header", Map.entry(get(RESELLERS, "X-Note: a\0b\r\n"), 400));
        cases.put("space in a header name", Map.entry(get(RESELLERS, "X Note: a\r\n"), 400));
        cases.put("raw space in the target", Map.entry(get(RESELLERS + "/a b", ""), 400));
        cases.put("raw tab in the target", Map.entry(get(RESELLERS + "/a\tb", ""), 400));
        cases.put("raw NEL byte in the target", Map.entry(get(RESELLERS + "/a\u0085b", ""), 400));
        cases.put("raw UTF-8 line separator in the target", Map.entry(concat(bytes("GET " + RESELLERS + "/a"),
                "\u2028".getBytes(StandardCharsets.UTF_8), bytes("b HTTP/1.1\r\nHost: localhost\r\n\r\n")), 400));
        cases.put("control character in the path", Map.entry(get(RESELLERS + "/a\u0001b", ""), 400));
        cases.put("DEL in the path", Map.entry(get(RESELLERS + "/a\u007fb", ""), 400));
        cases.put("quote in the path", Map.entry(get(RESELLERS + "/a\"b", ""), 400));
        cases.put("broken percent-encoding in the path", Map.entry(get(RESELLERS + "/a%zzb", ""), 400));
        cases.put("control character in the query", Map.entry(get(RESELLERS + "?a=\u0001", ""), 400));
        cases.put("no Host header", Map.entry(bytes("GET " + RESELLERS + " HTTP/1.1\r\n\r\n"), 400));
        cases.put("request line over the limit", Map.entry(get(RESELLERS + "?q=" + "a".repeat(420_000), ""), 414));
        cases.put("headers over the limit", Map.entry(get(RESELLERS, "X-Note: " + "a".repeat(40_000) + "\r\n"), 431));
        return cases;
    }

    @Test
    void requestsThatAreNotValidHttpGetAProblemWithARequestIdAndNoErrorInTheLog() throws IOException {
        long mark = RawHttp.logMark();
        for (var c : malformed().entrySet()) {
            Answer answer = RawHttp.send(c.getValue().getKey());
            int status = c.getValue().getValue();
            assertEquals(status, answer.status(), c.getKey() + ": " + answer);
            assertEquals(Problem.MEDIA_TYPE, answer.header("Content-Type"), c.getKey() + ": " + answer);
            String id = answer.header("X-Request-Id");
            assertNotNull(id, c.getKey() + ": no request id: " + answer);
            assertEquals(id, answer.json().getString("requestId"), c.getKey());
            assertEquals(status, answer.json().getInt("status"), c.getKey());
            assertEquals(ErrorCode.forStatus(status).name(), answer.json().getString("code"), c.getKey());
        }
        Fixtures.anonymous().get(RESELLERS).then().statusCode(401);
        List<String> errors = RawHttp.errorsSince(mark);
        assertTrue(errors.isEmpty(), "client errors logged at ERROR: " + errors);
    }

    @Test
    void aRequestThatIsNotValidHttpEndsTheConnection() throws IOException {
        Answer answer = RawHttp.send(get(RESELLERS, "X-Note: a\nb\r\n"));
        assertEquals(400, answer.status());
        assertTrue(answer.closed(), "the parser cannot go on after a malformed request");
    }

    @Test
    void malformedOnlyofficeRequestsGetTheEnvelope() throws IOException {
        Answer header = RawHttp.send(get("/api/2.0/mail/accounts", "X-Note: a\nb\r\n"));
        assertEquals(400, header.status(), header.toString());
        assertEquals("application/json", header.header("Content-Type"));
        assertNotNull(header.header("X-Request-Id"));
        assertEquals(1, header.json().getInt("status"));
        assertEquals(400, header.json().getInt("statusCode"));
        assertEquals("BAD_REQUEST", header.json().getString("error.code"));

        Answer path = RawHttp.send(get("/api/2.0/mail/accounts/a%zzb", ""));
        assertEquals(400, path.status(), path.toString());
        assertEquals("application/json", path.header("Content-Type"));
        assertEquals(400, path.json().getInt("statusCode"));
    }
}
