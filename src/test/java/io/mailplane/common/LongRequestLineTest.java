package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.RawHttp.Answer;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented maximum of {@code GET .../users?uids=}: 1,000 logins of 128 characters. A login may
 * consist of characters that must be percent-encoded in a query ({@code +}, {@code @}), so the
 * request line of that listing is about 385,000 bytes; the service accepts it.
 */
@QuarkusTest
class LongRequestLineTest {

    @Test
    void theLargestDocumentedUidsListingIsServed() throws IOException {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        List<String> uids = new ArrayList<>();
        uids.add(user.name());
        for (int i = 1; i < 1000; i++) {
            uids.add(String.format("%03d", i) + "+".repeat(125)); // a valid login of 128 characters
        }
        StringBuilder query = new StringBuilder();
        for (String uid : uids) {
            query.append(query.length() == 0 ? "" : "%2C").append(URLEncoder.encode(uid, StandardCharsets.UTF_8));
        }
        String target = "/oxaas/v1/admin/contexts/" + context.id() + "/users?uids=" + query;
        assertTrue(target.length() > 375_000, "the worst case: " + target.length());
        String auth = Base64.getEncoder().encodeToString((context.adminLogin() + ":" + context.adminPassword())
                .getBytes(StandardCharsets.UTF_8));
        Answer answer = RawHttp.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                + "Authorization: Basic " + auth + "\r\n\r\n");
        assertEquals(200, answer.status(), answer.toString());
        Map<String, Object> listed = answer.json().getMap("");
        assertEquals(List.of(user.name()), List.copyOf(listed.keySet()), "the one existing user, the unknown ones left out");
    }
}
