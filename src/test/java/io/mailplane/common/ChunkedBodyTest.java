package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.RawHttp.Answer;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 1 MiB body limit holds for bodies of unknown length (chunked) as for bodies with Content-Length,
 * and a client that writes its whole oversize body before it reads gets the 413, not a reset.
 */
@QuarkusTest
class ChunkedBodyTest {
    private static final int MIB = 1024 * 1024;

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += 65536) {
            int n = Math.min(65536, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] head(String method, String path, String login, String password) {
        String auth = Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
        return (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A JSON body of about {@code size} bytes: a reseller whose name is far too long. */
    private static byte[] resellerOfSize(int size) {
        return ("{\"name\":\"" + "a".repeat(size) + "\",\"password\":\"" + Fixtures.secret() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void chunkedBodiesOverTheLimitAreRefusedWith413AndNoErrorInTheLog() throws IOException {
        long mark = RawHttp.logMark();
        long resellers = Db.count("SELECT COUNT(*) FROM resellers");
        for (int size : new int[] {MIB + 4096, 3 * MIB / 2, 5 * MIB / 2}) {
            Answer answer = RawHttp.send(RawHttp.port(), head("POST", "/oxaas/v1/admin/resellers", Fixtures.MASTER_LOGIN,
                    Fixtures.MASTER_PASSWORD), chunked(resellerOfSize(size)));
            assertEquals(413, answer.status(), size + " bytes: " + answer);
            assertEquals(Problem.MEDIA_TYPE, answer.header("Content-Type"), answer.toString());
            assertNotNull(answer.header("X-Request-Id"));
            assertEquals(answer.header("X-Request-Id"), answer.json().getString("requestId"));
            assertEquals("PAYLOAD_TOO_LARGE", answer.json().getString("code"));
        }
        assertEquals(resellers, Db.count("SELECT COUNT(*) FROM resellers"), "a refused body changed nothing");
        Fixtures.anonymous().get("/oxaas/v1/admin/resellers").then().statusCode(401);
        List<String> errors = RawHttp.errorsSince(mark);
        assertTrue(errors.isEmpty(), "client errors logged at ERROR: " + errors);
    }

    @Test
    void chunkedBodiesOverTheLimitUnderTheOnlyofficeApiGetTheEnvelope() throws IOException {
        Fixtures.UserRef user = Fixtures.user(Fixtures.context());
        Answer answer = RawHttp.send(RawHttp.port(), head("POST", "/api/2.0/mail/accounts", user.name(), user.password()),
                chunked(resellerOfSize(3 * MIB / 2)));
        assertEquals(413, answer.status(), answer.toString());
        assertEquals("application/json", answer.header("Content-Type"));
        assertNotNull(answer.header("X-Request-Id"));
        assertEquals(413, answer.json().getInt("statusCode"));
        assertEquals("PAYLOAD_TOO_LARGE", answer.json().getString("error.code"));
    }

    @Test
    void chunkedBodiesWithinTheLimitAreServed() throws IOException {
        String name = Fixtures.unique("chunk");
        byte[] body = ("{\"name\":\"" + name + "\",\"password\":\"" + Fixtures.secret() + "\",\"displayName\":\"Reseller " + name + "\",\"brand\":\"" + name + ".brand\"}")
                .getBytes(StandardCharsets.UTF_8);
        Answer answer = RawHttp.send(RawHttp.port(), head("POST", "/oxaas/v1/admin/resellers", Fixtures.MASTER_LOGIN,
                Fixtures.MASTER_PASSWORD), chunked(body));
        assertEquals(201, answer.status(), answer.toString());
        assertEquals(name, answer.json().getString("name"));
    }

    @Test
    void aClientThatWritesAnOversizeBodyWholeBeforeReadingGetsThe413NotAReset() throws IOException {
        byte[] body = resellerOfSize(8 * MIB);
        String auth = Base64.getEncoder().encodeToString((Fixtures.MASTER_LOGIN + ":" + Fixtures.MASTER_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /oxaas/v1/admin/resellers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        for (int i = 0; i < 3; i++) {
            // one thread writes all of it, then reads: a server that closes at once resets this client
            Answer answer = RawHttp.send(request.toByteArray());
            assertEquals(413, answer.status(), answer.toString());
            assertEquals("PAYLOAD_TOO_LARGE", answer.json().getString("code"));
            assertTrue(answer.closed(), "the connection is closed after the refusal");
        }
    }
}
