package io.mailplane.mailaccounts;

import static io.mailplane.testing.Fixtures.anonymous;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.mailplane.testing.MailServerResource;
import io.mailplane.testing.MailServers;
import io.mailplane.testing.MailServers.Mailbox;
import io.mailplane.testing.Snapshot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Edge cases of ONLYOFFICE's mail-accounts API against the real GreenMail servers and the real
 * database: races, XML rendering, odd and oversize input, wrong media types and methods, secrets
 * in the log, protocol switches, OAuth2, hostile mail servers and offboarding by deletion.
 */
@QuarkusTest
@QuarkusTestResource(MailServerResource.class)
class MailAccountsEdgeTest {
    private static final String MAIL = "/api/2.0/mail";
    private static final String ACCOUNTS = MAIL + "/accounts";
    private static final String XML = "application/xml";

    // ---- helpers -------------------------------------------------------------------------

    static Map<String, Object> plainImap(Mailbox box) {
        return MailAccountsTest.plainImap(box);
    }

    static UserRef user() {
        return Fixtures.user(Fixtures.context());
    }

    static long create(UserRef user, Map<String, Object> body) {
        return MailAccountsTest.create(user, body);
    }

    static long userPk(UserRef user) {
        return Long.parseLong(Db.string("SELECT CONCAT(pk) FROM users WHERE uidname = ?", user.name()));
    }

    static long accounts(UserRef user) {
        return MailAccountsTest.accounts(user);
    }

    /** Parses an answer as XML; fails the test when it is not well-formed. */
    static Document xml(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            fail("not well-formed XML (" + e.getMessage() + "): " + new String(body, StandardCharsets.UTF_8)
                    .replaceAll("\\p{Cc}", "?"));
            return null;
        }
    }

    static String text(Document d, String element) {
        var nodes = d.getElementsByTagName(element);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** An XML envelope: root result, the given status/statusCode. */
    static Document xmlEnvelope(Response r, int statusCode) {
        assertEquals(statusCode, r.statusCode(), r.asString());
        assertTrue(r.contentType().contains("xml"), "content type " + r.contentType());
        Document d = xml(r.asByteArray());
        assertEquals("result", d.getDocumentElement().getTagName());
        assertEquals(statusCode >= 400 ? "1" : "0", text(d, "status"));
        assertEquals(String.valueOf(statusCode), text(d, "statusCode"));
        return d;
    }

    /** Fires {@code n} requests at once; answers their responses in order. */
    static List<Response> race(int n, IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<Response> call = () -> {
                    start.await();
                    return request.apply(k);
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : results) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Integer> statuses(List<Response> responses) {
        return responses.stream().map(Response::statusCode).toList();
    }

    /**
     * A scripted mail server on 127.0.0.1 for behaviour GreenMail cannot show. {@code HELD_LOGIN}
     * signals {@link #loginReceived} when a client's IMAP LOGIN arrives and answers it only after
     * {@link #release}, meanwhile keeping the client's reads alive with untagged responses: a test
     * acts while a verification is certainly under way, then lets it finish.
     */
    static final class FakeServer implements AutoCloseable {
        enum Mode { DRIP_GREETING, IMAP_WITHOUT_XOAUTH2, HELD_LOGIN }

        final ServerSocket socket;
        final Mode mode;
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        final List<Socket> clients = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch loginReceived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        FakeServer(Mode mode) throws IOException {
            this.mode = mode;
            this.socket = new ServerSocket(0, 50, InetAddress.getByName(MailServers.HOST));
            Thread acceptor = new Thread(this::accept, "fake-mail-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    clients.add(client);
                    Thread t = new Thread(() -> serve(client), "fake-mail-client");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket client) {
            try (client) {
                OutputStream out = client.getOutputStream();
                if (mode == Mode.DRIP_GREETING) {
                    // a greeting that never ends: one byte a second, always within the read timeout, until the client hangs up
                    out.write("* OK ".getBytes(StandardCharsets.US_ASCII));
                    client.setSoTimeout(1000);
                    InputStream hangUp = client.getInputStream();
                    for (int i = 0; i < 300; i++) {
                        out.write('a');
                        out.flush();
                        try {
                            if (hangUp.read() < 0) {
                                return;
                            }
                        } catch (SocketTimeoutException quiet) {
                            // a second without a word from the client: the next byte
                        }
                    }
                    return;
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                out.write("* OK fake IMAP ready\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    String[] parts = line.split(" ", 3);
                    String tag = parts[0];
                    String command = parts.length > 1 ? parts[1].toUpperCase() : "";
                    if (mode == Mode.HELD_LOGIN && command.equals("LOGIN")) {
                        loginReceived.countDown();
                        // untagged responses well within the client's read timeout keep it waiting for the answer
                        while (!release.await(500, TimeUnit.MILLISECONDS)) {
                            out.write("* OK still checking\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                    String reply = switch (command) {
                        case "CAPABILITY" -> "* CAPABILITY IMAP4rev1\r\n" + tag + " OK CAPABILITY completed\r\n";
                        case "LOGIN" -> tag + " OK LOGIN completed\r\n";
                        case "AUTHENTICATE" -> tag + " NO unsupported mechanism\r\n";
                        case "LOGOUT" -> "* BYE bye\r\n" + tag + " OK LOGOUT completed\r\n";
                        default -> tag + " OK done\r\n";
                    };
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (command.equals("LOGOUT")) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            socket.close();
            synchronized (clients) {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    // ---- concurrency ---------------------------------------------------------------------

    @Test
    void shouldKeepOneAccountWhenTheSameAddressIsPostedInParallel() throws Exception {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        List<Response> responses = race(6, i -> {
            Map<String, Object> body = plainImap(box);
            body.put("name", "Racer " + i);
            return Fixtures.as(user).body(body).post(ACCOUNTS);
        });
        List<Integer> statuses = statuses(responses);
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(5, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(1, responses.stream().map(r -> r.jsonPath().getLong("response.mailboxId")).distinct().count(),
                "every upsert answers the same mailboxId");
        assertEquals(1, accounts(user));
        // complete bodies merge nothing from the stored account, so racing upserts of it all land
        List<Integer> again = statuses(race(4, i -> {
            Map<String, Object> body = plainImap(box);
            body.put("name", "Again " + i);
            return Fixtures.as(user).body(body).post(ACCOUNTS);
        }));
        assertEquals(List.of(200, 200, 200, 200), again);
        assertEquals(1, accounts(user));
    }

    @Test
    void shouldNotExceedThePerUserLimitWhenCreatesRace() throws Exception {
        UserRef user = user();
        long pk = userPk(user);
        for (int i = 0; i < 17; i++) {
            Db.update("INSERT INTO mail_accounts (user_pk, email, email_domain, imap, in_server, in_port, in_login, in_encryption,"
                    + " in_auth, smtp_server, smtp_port, smtp_encryption, smtp_auth, smtp_auth_type) VALUES"
                    + " (?, ?, 'filler.example.net', TRUE, '127.0.0.1', 143, 'x', 0, 1, '127.0.0.1', 587, 0, FALSE, 1)",
                    pk, "filler" + i + "@filler.example.net");
        }
        List<Mailbox> boxes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boxes.add(MailServers.mailbox());
        }
        List<Integer> statuses = statuses(race(6, i -> Fixtures.as(user).body(plainImap(boxes.get(i))).post(ACCOUNTS)));
        assertEquals(3, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(3, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(20, accounts(user));
    }

    @Test
    void shouldKeepAtMostOneDefaultAccountWhenDefaultsRace() throws Exception {
        UserRef user = user();
        List<Mailbox> boxes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Mailbox box = MailServers.mailbox();
            boxes.add(box);
            create(user, plainImap(box));
        }
        long pk = userPk(user);
        for (int round = 0; round < 15; round++) {
            for (Mailbox box : boxes) {
                Fixtures.as(user).body(Map.of("email", box.email(), "isDefault", false)).put(ACCOUNTS + "/default").then().statusCode(200);
            }
            List<Integer> statuses = statuses(race(4, i -> Fixtures.as(user)
                    .body(Map.of("email", boxes.get(i).email(), "isDefault", true)).put(ACCOUNTS + "/default")));
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 409), statuses.toString());
            long defaults = Db.count("SELECT COUNT(*) FROM mail_accounts WHERE user_pk = ? AND is_default", pk);
            assertTrue(defaults <= 1, "round " + round + ": " + defaults + " default accounts after " + statuses);
        }
    }

    // ---- XML -----------------------------------------------------------------------------

    @Test
    void shouldRenderEveryEndpointAsXmlByAcceptAndBySuffix() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Document created = xmlEnvelope(Fixtures.as(user).accept(XML).body(plainImap(box)).post(ACCOUNTS), 201);
        long id = Long.parseLong(text(created, "mailboxId"));
        assertEquals(box.email(), text(created, "email"));
        assertEquals("True", text(created, "enabled"));

        xmlEnvelope(Fixtures.as(user).body(plainImap(box)).post(ACCOUNTS + ".xml"), 200);
        Document list = xmlEnvelope(Fixtures.as(user).get(ACCOUNTS + ".xml"), 200);
        assertEquals(1, list.getElementsByTagName("item").getLength());
        xmlEnvelope(Fixtures.as(user).accept("text/xml").get(ACCOUNTS), 200);
        xmlEnvelope(Fixtures.as(user).queryParam("email", box.email()).get(ACCOUNTS + "/single.xml"), 200);
        xmlEnvelope(Fixtures.as(user).body(plainImap(box)).put(ACCOUNTS + ".xml"), 200);
        xmlEnvelope(Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state.xml"), 200);
        xmlEnvelope(Fixtures.as(user).body(Map.of("email", box.email(), "isDefault", true)).put(ACCOUNTS + "/default.xml"), 200);
        Document sig = xmlEnvelope(Fixtures.as(user).body(Map.of("html", "<b>Jo</b>", "isActive", true))
                .post(MAIL + "/signature/update/" + id + ".xml"), 200);
        assertEquals("<b>Jo</b>", text(sig, "html"), "HTML travels as escaped text");
        xmlEnvelope(Fixtures.as(user).body(Map.of("turnOn", true, "subject", "Away & <back>"))
                .post(MAIL + "/autoreply/update/" + id + ".xml"), 200);
        Document deleted = xmlEnvelope(Fixtures.as(user).queryParam("email", box.email()).delete(ACCOUNTS + ".xml"), 200);
        assertEquals(box.email(), text(deleted, "response"));

        // errors in XML: validation, not found, verification, unknown path, wrong id, anonymous, forbidden
        Document invalid = xmlEnvelope(Fixtures.as(user).body(Map.of("email", "nope")).post(ACCOUNTS + ".xml"), 400);
        assertEquals("VALIDATION_FAILED", text(invalid, "code"));
        xmlEnvelope(Fixtures.as(user).queryParam("email", box.email()).delete(ACCOUNTS + ".xml"), 404);
        Map<String, Object> wrong = plainImap(MailServers.mailbox());
        wrong.put("password", Fixtures.secret());
        Document failed = xmlEnvelope(Fixtures.as(user).accept(XML).body(wrong).post(ACCOUNTS), 400);
        assertEquals("IMAP", text(failed, "side"));
        assertEquals("auth", text(failed, "phase"));
        xmlEnvelope(Fixtures.as(user).get(MAIL + "/nothing/here.xml"), 404);
        xmlEnvelope(Fixtures.as(user).body(Map.of("html", "x", "isActive", true)).post(MAIL + "/signature/update/abc.xml"), 400);
        xmlEnvelope(anonymous().accept("text/xml").get(ACCOUNTS), 401);
        xmlEnvelope(Fixtures.asQualified(Fixtures.context()).get(ACCOUNTS + ".xml"), 403);
        xmlEnvelope(Fixtures.as(user).body(Map.of("email", "x@y.example", "password", "p")).post(ACCOUNTS + "/simple.xml"), 400);
    }

    @Test
    void shouldKeepXmlSuffixAndQueryStringTogether() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        create(user, plainImap(box));
        String encoded = box.email().replace("@", "%40");
        Document single = xmlEnvelope(Fixtures.as(user).urlEncodingEnabled(false).get(ACCOUNTS + "/single.xml?email=" + encoded), 200);
        assertEquals(box.email(), text(single, "email"));
        xmlEnvelope(Fixtures.as(user).urlEncodingEnabled(false).get(ACCOUNTS + "/single.xml?email=nobody%40external.example.net"), 404);
        xmlEnvelope(Fixtures.as(user).urlEncodingEnabled(false).get(ACCOUNTS + "/single.xml?email="), 400);
        // .json wins over an XML Accept header
        Fixtures.as(user).accept(XML).queryParam("email", box.email()).get(ACCOUNTS + "/single.json").then()
                .statusCode(200).contentType(ContentType.JSON).body("response.email", equalTo(box.email()));
        Document deleted = xmlEnvelope(Fixtures.as(user).urlEncodingEnabled(false).delete(ACCOUNTS + ".xml?email=" + encoded), 200);
        assertEquals(box.email(), text(deleted, "response"));
        assertEquals(0, accounts(user));
    }

    @Test
    void shouldRenderMarkupAndUnicodeInNamesAndSignaturesAsWellFormedXml() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = plainImap(box);
        String name = "A&B <x> \"q\" 'a' ]]> üñï 😀 中文";
        body.put("name", name);
        long id = create(user, body);
        Fixtures.as(user).body(Map.of("html", "<p>1 &lt; 2 &amp; ]]&gt; <b>😀</b></p>", "isActive", true))
                .post(MAIL + "/signature/update/{id}", id).then().statusCode(200);
        Document list = xmlEnvelope(Fixtures.as(user).get(ACCOUNTS + ".xml"), 200);
        assertEquals(name, text(list, "name"));
        assertTrue(text(list, "html").contains("<b>😀</b>"), text(list, "html"));
        Fixtures.as(user).get(ACCOUNTS).then().body("response[0].name", equalTo(name));
    }

    @Test
    void shouldNeverAnswerMalformedXmlForCharactersXmlCannotCarry() {
        UserRef user = user();
        // an error that echoes what the client sent: the unknown field's name
        Response unknown = Fixtures.as(user).accept(XML).body("{\"bad\\u0001field\": 1}").post(ACCOUNTS);
        xmlEnvelope(unknown, 400);
        xmlEnvelope(Fixtures.as(user).body("{\"\\uFFFE\": 1}").post(ACCOUNTS + ".xml"), 400);
    }

    @Test
    void shouldNeverRenderStoredNonCharactersAsMalformedXml() {
        UserRef user = user();
        // a name and a signature with non-characters: refused, or stored and still rendered as XML
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = plainImap(box);
        body.put("name", "bad\uFFFEname");
        int status = Fixtures.as(user).body(body).post(ACCOUNTS).statusCode();
        assertTrue(status == 201 || status == 400, "status " + status);
        if (status == 400) {
            create(user, plainImap(box));
        }
        long id = Fixtures.as(user).queryParam("email", box.email()).get(ACCOUNTS + "/single").jsonPath().getLong("response.mailboxId");
        int sig = Fixtures.as(user).body(Map.of("html", "<p>x\uFFFF\u000By</p>", "isActive", true))
                .post(MAIL + "/signature/update/{id}", id).statusCode();
        assertTrue(sig == 200 || sig == 400, "status " + sig);
        xmlEnvelope(Fixtures.as(user).get(ACCOUNTS + ".xml"), 200);
    }

    @Test
    void shouldAnswerErrorsInTheMediaTypeItAnswersSuccessesIn() {
        UserRef user = user();
        for (String accept : new String[] {"application/xml, application/json;q=0.5", "application/json;q=0.1, text/xml",
                "application/xml;q=0.9, */*;q=0.1", "application/json, application/xml"}) {
            Response ok = Fixtures.as(user).accept(accept).get(ACCOUNTS);
            Response error = Fixtures.as(user).accept(accept).queryParam("email", "nobody@external.example.net").get(ACCOUNTS + "/single");
            assertEquals(200, ok.statusCode(), accept);
            assertEquals(404, error.statusCode(), accept);
            assertEquals(ok.contentType().replaceAll(";.*", ""), error.contentType().replaceAll(";.*", ""),
                    "Accept: " + accept + " → success " + ok.contentType() + ", error " + error.contentType());
        }
    }

    // ---- lost updates ----------------------------------------------------------------------

    @Test
    void shouldNotRevertAConcurrentChangeWhenAnUpdateOmitsTheField() throws Exception {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (FakeServer slow = new FakeServer(FakeServer.Mode.HELD_LOGIN)) {
            // an update that leaves the name alone has read the account and is being verified ...
            Map<String, Object> move = plainImap(box);
            move.remove("name");
            move.put("port", slow.port());
            Future<Response> moving = pool.submit(() -> Fixtures.as(user).body(move).put(ACCOUNTS));
            assertTrue(slow.loginReceived.await(30, TimeUnit.SECONDS), "the slow update reached its IMAP login");
            // ... while another client renames the account
            Map<String, Object> rename = plainImap(box);
            rename.put("name", "Renamed meanwhile");
            Fixtures.as(user).body(rename).put(ACCOUNTS).then().statusCode(200).body("response.name", equalTo("Renamed meanwhile"));
            slow.release.countDown();
            Response moved = moving.get();
            assertTrue(moved.statusCode() == 200 || moved.statusCode() == 409, moved.asString());
            String name = Fixtures.as(user).queryParam("email", box.email()).get(ACCOUNTS + "/single").jsonPath().getString("response.name");
            assertEquals("Renamed meanwhile", name, "the slow update (" + moved.statusCode() + ") wrote back the name it had read before the rename");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, accounts(user));
        assertTrue(id > 0);
    }

    // ---- bodies --------------------------------------------------------------------------

    @Test
    void shouldRefuseMissingNullAndMisshapenBodiesEverywhere() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Snapshot before = Snapshot.take();
        List<String> paths = List.of("POST " + ACCOUNTS, "PUT " + ACCOUNTS, "POST " + ACCOUNTS + "/simple",
                "PUT " + ACCOUNTS + "/state", "PUT " + ACCOUNTS + "/default",
                "POST " + MAIL + "/signature/update/" + id, "POST " + MAIL + "/autoreply/update/" + id);
        for (String target : paths) {
            String method = target.substring(0, target.indexOf(' '));
            String path = target.substring(target.indexOf(' ') + 1);
            for (String raw : new String[] {null, "", "null", "[]", "\"text\"", "42", "true", "{}", "{\"email\":null}", "{} {}", "{\"a\":1,\"a\":2}"}) {
                var spec = Fixtures.as(user);
                if (raw != null) {
                    spec = spec.body(raw);
                }
                Response r = spec.request(method, path);
                assertEquals(400, r.statusCode(), target + " with body " + raw + ": " + r.asString());
                assertEquals(1, r.jsonPath().getInt("status"), target + " " + raw);
                assertEquals(400, r.jsonPath().getInt("statusCode"), target + " " + raw);
                assertNotNull(r.jsonPath().getString("error.code"), target + " " + raw);
            }
        }
        before.assertUnchanged();
    }

    @Test
    void shouldAnswerJsonNullForEveryFieldWithoutServerError() {
        UserRef user = user();
        List<String> required = List.of("email", "server", "smtp_server", "password");
        for (String field : List.of("name", "email", "account", "password", "port", "server", "smtp_account", "smtp_password",
                "smtp_port", "smtp_server", "smtp_auth", "imap", "restrict", "incoming_encryption_type",
                "outcoming_encryption_type", "auth_type_in", "auth_type_smtp")) {
            Mailbox box = MailServers.mailbox();
            Map<String, Object> body = plainImap(box);
            body.put(field, null);
            Response r = Fixtures.as(user).body(body).post(ACCOUNTS);
            if (field.equals("account")) {
                // the login defaults to the address, which the test server may not take as a login
                assertTrue(r.statusCode() == 201 || "MAIL_VERIFICATION_FAILED".equals(r.jsonPath().getString("error.code")), r.asString());
            } else if (required.contains(field)) {
                assertEquals(400, r.statusCode(), field + ": " + r.asString());
                assertEquals(field, r.jsonPath().getString("error.errors[0].field"), field + ": " + r.asString());
            } else if (field.equals("port") || field.equals("smtp_port")) {
                // the default port (143, 587) is not where the test servers listen
                assertTrue(r.statusCode() == 201 || r.statusCode() == 400, field + ": " + r.asString());
            } else {
                assertEquals(201, r.statusCode(), field + ": " + r.asString());
                assertFalse(r.asString().contains(box.password()));
            }
            Fixtures.as(user).queryParam("email", box.email()).delete(ACCOUNTS);
        }
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Fixtures.as(user).body(mapOf("email", box.email(), "state", null)).put(ACCOUNTS + "/state").then().statusCode(400);
        Fixtures.as(user).body(mapOf("email", null, "state", true)).put(ACCOUNTS + "/state").then().statusCode(400);
        Fixtures.as(user).body(mapOf("email", box.email(), "isDefault", null)).put(ACCOUNTS + "/default").then().statusCode(400);
        Fixtures.as(user).body(mapOf("html", null, "isActive", true)).post(MAIL + "/signature/update/{id}", id).then()
                .statusCode(200).body("response.html", equalTo(""));
        Fixtures.as(user).body(mapOf("html", "x", "isActive", null)).post(MAIL + "/signature/update/{id}", id).then().statusCode(400);
        Fixtures.as(user).body(mapOf("turnOn", null)).post(MAIL + "/autoreply/update/{id}", id).then().statusCode(400);
        Fixtures.as(user).body(mapOf("turnOn", false, "onlyContacts", null, "turnOnToDate", null, "fromDate", null, "toDate", null,
                "subject", null, "html", null)).post(MAIL + "/autoreply/update/{id}", id).then().statusCode(200);
        Fixtures.as(user).body(mapOf("email", box.email(), "password", null)).post(ACCOUNTS + "/simple").then().statusCode(400);
    }

    static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void shouldRefuseOversizeAndControlCharacterInputWithFieldErrors() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Snapshot before = Snapshot.take();
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("name", "n".repeat(256));
        cases.put("password", "p".repeat(8193));
        cases.put("account", "x".repeat(321));
        cases.put("smtp_account", "user\r\nRCPT TO:<victim@example.com>");
        cases.put("server", "127.0.0.1\r\nX");
        cases.put("smtp_server", "h".repeat(254));
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            Map<String, Object> body = plainImap(box);
            body.put(c.getKey(), c.getValue());
            Fixtures.as(user).body(body).put(ACCOUNTS).then().statusCode(400)
                    .body("error.code", equalTo("VALIDATION_FAILED"))
                    .body("error.errors.field", hasItem(c.getKey()));
        }
        for (String control : new String[] {"\u0000", "\u0007", "\n", "\u001b[31m", "\u0085"}) {
            Map<String, Object> body = plainImap(box);
            body.put("name", "x" + control + "y");
            Fixtures.as(user).body(body).put(ACCOUNTS).then().statusCode(400).body("error.errors[0].field", equalTo("name"));
            body = plainImap(box);
            body.put("password", box.password() + control);
            Fixtures.as(user).body(body).put(ACCOUNTS).then().statusCode(400).body("error.errors[0].field", equalTo("password"))
                    .body(not(containsString(box.password())));
        }
        Fixtures.as(user).body(Map.of("html", "x".repeat(65537), "isActive", true)).post(MAIL + "/signature/update/{id}", id)
                .then().statusCode(400).body("error.errors[0].field", equalTo("html"));
        Fixtures.as(user).body(Map.of("turnOn", true, "subject", "Away\r\nBcc: all@example.com"))
                .post(MAIL + "/autoreply/update/{id}", id).then().statusCode(400).body("error.errors[0].field", equalTo("subject"));
        Fixtures.as(user).body(Map.of("turnOn", true, "fromDate", "2".repeat(41))).post(MAIL + "/autoreply/update/{id}", id)
                .then().statusCode(400);
        Fixtures.as(user).body(Map.of("email", "a".repeat(65) + "@external.example.net", "password", "x"))
                .post(ACCOUNTS + "/simple").then().statusCode(400);
        before.assertUnchanged();

        // the largest accepted signature, made only of characters that escaping multiplies, is stored
        Fixtures.as(user).body(Map.of("html", "<&".repeat(32768), "isActive", true)).post(MAIL + "/signature/update/{id}", id)
                .then().statusCode(200);
        Fixtures.as(user).get(ACCOUNTS).then().statusCode(200);
    }

    @Test
    void shouldAnswerOversizeBodiesInTheOnlyofficeEnvelope() {
        UserRef user = user();
        String huge = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        Response json = Fixtures.as(user).body(huge).post(ACCOUNTS);
        assertEquals(413, json.statusCode());
        json.then().contentType(ContentType.JSON).body("status", equalTo(1)).body("statusCode", equalTo(413))
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
        xmlEnvelope(Fixtures.as(user).body(huge).post(ACCOUNTS + ".xml"), 413);
    }

    @Test
    void shouldRefuseAutoreplyDatesTheDatabaseCannotHoldWithoutServerError() {
        UserRef user = user();
        long id = create(user, plainImap(MailServers.mailbox()));
        Snapshot before = Snapshot.take();
        for (String date : new String[] {"+10000-01-01T00:00:00", "9999-12-31T23:00:00-05:00", "-0001-01-01T00:00:00",
                "+999999999-12-31T23:59:59"}) {
            Response r = Fixtures.as(user).body(Map.of("turnOn", true, "turnOnToDate", true, "fromDate", "2030-01-01T00:00:00",
                    "toDate", date)).post(MAIL + "/autoreply/update/{id}", id);
            assertEquals(400, r.statusCode(), date + ": " + r.asString());
            r.then().body("error.errors[0].field", equalTo("toDate"));
        }
        before.assertUnchanged();
    }

    // ---- media types and methods --------------------------------------------------------------

    @Test
    void shouldAnswerWrongContentTypesWith415InTheEnvelope() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Snapshot before = Snapshot.take();
        Fixtures.as(user).contentType(ContentType.URLENC).formParam("email", box.email()).formParam("state", "false")
                .put(ACCOUNTS + "/state").then().statusCode(415).body("status", equalTo(1)).body("statusCode", equalTo(415));
        xmlEnvelope(Fixtures.as(user).contentType(ContentType.URLENC).formParam("html", "x").formParam("isActive", "true")
                .post(MAIL + "/signature/update/" + id + ".xml"), 415);
        for (String type : new String[] {"text/plain", "application/xml", "application/octet-stream", "application/json-patch+json"}) {
            Fixtures.as(user).contentType(type).body(("email=" + box.email()).getBytes(StandardCharsets.UTF_8)).put(ACCOUNTS + "/state").then()
                    .statusCode(415).contentType(ContentType.JSON)
                    .body("status", equalTo(1)).body("statusCode", equalTo(415)).body("error.code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
            xmlEnvelope(Fixtures.as(user).contentType(type).accept(XML).body("x".getBytes(StandardCharsets.UTF_8))
                    .post(MAIL + "/signature/update/" + id), 415);
            xmlEnvelope(Fixtures.as(user).contentType(type).body("x".getBytes(StandardCharsets.UTF_8)).post(ACCOUNTS + ".xml"), 415);
        }
        before.assertUnchanged();
    }

    @Test
    void shouldAnswerHeadOptionsAndUnsupportedMethodsCleanly() {
        UserRef user = user();
        create(user, plainImap(MailServers.mailbox()));
        Fixtures.as(user).head(ACCOUNTS).then().statusCode(200);
        anonymous().head(ACCOUNTS).then().statusCode(401);
        Response options = Fixtures.as(user).options(ACCOUNTS);
        assertTrue(options.statusCode() == 200 || options.statusCode() == 204, options.asString());
        String allow = options.header("Allow");
        assertNotNull(allow, "OPTIONS names the allowed methods");
        assertTrue(allow.contains("GET") && allow.contains("POST") && allow.contains("PUT") && allow.contains("DELETE"), allow);

        Fixtures.as(user).body("{}").patch(ACCOUNTS).then().statusCode(405).contentType(ContentType.JSON)
                .body("status", equalTo(1)).body("statusCode", equalTo(405)).body("error.code", equalTo("METHOD_NOT_ALLOWED"));
        Fixtures.as(user).delete(ACCOUNTS + "/single").then().statusCode(405).body("statusCode", equalTo(405));
        Fixtures.as(user).get(ACCOUNTS + "/simple").then().statusCode(405).body("statusCode", equalTo(405));
        Fixtures.as(user).get(MAIL + "/signature/update/1").then().statusCode(405).body("statusCode", equalTo(405));
        xmlEnvelope(Fixtures.as(user).body("{}").patch(ACCOUNTS + ".xml"), 405);
        xmlEnvelope(Fixtures.as(user).accept(XML).put(ACCOUNTS + "/single"), 405);
        Fixtures.as(user).accept("text/html").get(ACCOUNTS).then().statusCode(406).contentType(ContentType.JSON)
                .body("statusCode", equalTo(406)).body(not(containsString("<html")));
    }

    // ---- protocol and authentication switches -----------------------------------------------

    @Test
    void shouldSwitchAnAccountFromImapToPop3AndBack() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Map<String, Object> pop = plainImap(box);
        pop.put("imap", false);
        pop.put("port", MailServers.pop3s());
        pop.put("incoming_encryption_type", "SSL");
        pop.put("password", "");
        Fixtures.as(user).body(pop).put(ACCOUNTS).then().statusCode(200)
                .body("response.mailboxId", equalTo((int) id))
                .body("response.imap", equalTo(false))
                .body("response.port", equalTo(MailServers.pop3s()))
                .body("response.incoming_encryption_type", equalTo("SSL"));
        assertEquals("0", Db.string("SELECT CONCAT(imap + 0) FROM mail_accounts WHERE id = ?", id));
        // the stored POP3 settings verify again when the account is re-enabled
        Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(200);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then().statusCode(200)
                .body("response.enabled", equalTo(true));
        // a POP3 port with IMAP fails on the IMAP side, and nothing changes
        Map<String, Object> mismatch = plainImap(box);
        mismatch.put("imap", true);
        mismatch.put("port", MailServers.pop3());
        Snapshot before = Snapshot.take();
        Fixtures.as(user).body(mismatch).put(ACCOUNTS).then().statusCode(400).body("error.side", equalTo("IMAP"));
        before.assertUnchanged();
        Fixtures.as(user).body(plainImap(box)).put(ACCOUNTS).then().statusCode(200).body("response.imap", equalTo(true))
                .body("response.port", equalTo(MailServers.imap()));
        Map<String, Object> cram = plainImap(box);
        cram.put("imap", false);
        cram.put("port", MailServers.pop3());
        cram.put("auth_type_in", 4);
        Fixtures.as(user).body(cram).put(ACCOUNTS).then().statusCode(400).body("error.errors[0].field", equalTo("auth_type_in"));
    }

    @Test
    void shouldStoreNoSmtpSecretWhenSmtpAuthIsOff() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        Map<String, Object> body = plainImap(box);
        body.put("smtp_auth", false);
        body.remove("smtp_password");
        body.remove("smtp_account");
        long id = Fixtures.as(user).body(body).post(ACCOUNTS).then().statusCode(201)
                .body("response.smtp_auth", equalTo(false))
                .body("response.smtp_account", nullValue())
                .extract().jsonPath().getLong("response.mailboxId");
        assertNull(Db.string("SELECT smtp_secret FROM mail_accounts WHERE id = ?", id));
        Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(200);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then().statusCode(200);
        // turning SMTP authentication on without an SMTP password uses the incoming one, verified
        Map<String, Object> on = plainImap(box);
        on.remove("smtp_password");
        on.put("password", "");
        Fixtures.as(user).body(on).put(ACCOUNTS).then().statusCode(200).body("response.smtp_auth", equalTo(true))
                .body("response.smtp_account", equalTo(box.login()));
        assertNotNull(Db.string("SELECT smtp_secret FROM mail_accounts WHERE id = ?", id));
        Map<String, Object> wrong = plainImap(box);
        wrong.put("smtp_password", Fixtures.secret());
        Fixtures.as(user).body(wrong).put(ACCOUNTS).then().statusCode(400).body("error.side", equalTo("SMTP"));
    }

    static void assertNull(Object o) {
        assertEquals(null, o);
    }

    @Test
    void shouldRefuseOAuth2WithAWrongTokenOnEitherSide() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        String token = Fixtures.secret();
        Map<String, Object> in = plainImap(box);
        in.put("auth_type_in", "OAuth2");
        in.put("password", token);
        MailAccountsTest.failsVerification(user, in, "IMAP", "auth").body(not(containsString(token)));
        Map<String, Object> smtp = plainImap(box);
        smtp.put("auth_type_smtp", "OAuth2");
        smtp.put("smtp_password", token);
        MailAccountsTest.failsVerification(user, smtp, "SMTP", "auth").body(not(containsString(token)));
        Map<String, Object> pop = plainImap(box);
        pop.put("imap", false);
        pop.put("port", MailServers.pop3());
        pop.put("auth_type_in", 5);
        pop.put("password", token);
        MailAccountsTest.failsVerification(user, pop, "POP3", "auth").body(not(containsString(token)));
        // and with the right token over POP3 it works
        pop.put("password", box.password());
        Fixtures.as(user).body(pop).post(ACCOUNTS).then().statusCode(201).body("response.oAuthConnection", equalTo(true));
    }

    @Test
    void shouldNotFallBackToPlainLoginWhenTheImapServerDoesNotOfferXoauth2() throws Exception {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        String token = Fixtures.secret();
        try (FakeServer imap = new FakeServer(FakeServer.Mode.IMAP_WITHOUT_XOAUTH2)) {
            Map<String, Object> body = plainImap(box);
            body.put("port", imap.port());
            body.put("auth_type_in", "OAuth2");
            body.put("password", token);
            Response r = Fixtures.as(user).body(body).post(ACCOUNTS);
            assertFalse(imap.received.stream().anyMatch(l -> l.toUpperCase().contains(" LOGIN ")),
                    "the OAuth2 access token was sent as a plain IMAP LOGIN password: " + imap.received);
            assertEquals(400, r.statusCode(), r.asString());
            r.then().body("error.side", equalTo("IMAP")).body("error.phase", equalTo("auth"));
            assertEquals(0, accounts(user));
        }
    }

    @Test
    void shouldNotSendTheCramMd5PasswordAsAPlainLoginWhenTheServerDoesNotOfferCramMd5() throws Exception {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        try (FakeServer imap = new FakeServer(FakeServer.Mode.IMAP_WITHOUT_XOAUTH2)) {
            Map<String, Object> body = plainImap(box);
            body.put("port", imap.port());
            body.put("auth_type_in", "CramMd5");
            Response r = Fixtures.as(user).body(body).post(ACCOUNTS);
            assertEquals(400, r.statusCode(), r.asString());
            r.then().body("error.side", equalTo("IMAP")).body("error.phase", equalTo("auth"));
            assertFalse(imap.received.stream().anyMatch(l -> l.contains(box.password())),
                    "CRAM-MD5 was chosen so that the password never crosses the wire, yet it was sent: " + imap.received);
            assertEquals(0, accounts(user));
        }
    }

    @Test
    void shouldKeepTheNameAndSignatureWhenASimpleCreateHitsAnExistingAddress() {
        UserRef user = user();
        String login = Fixtures.unique("prov") + "@" + MailServerResource.PROVIDER_DOMAIN;
        String password = Fixtures.secret();
        MailServers.get().setUser(login, login, password);
        long id = Fixtures.as(user).body(Map.of("email", login, "password", password)).post(ACCOUNTS + "/simple").then().statusCode(201)
                .extract().jsonPath().getLong("response.mailboxId");
        Map<String, Object> named = MailAccountsTest.settings(new Mailbox(login, login, password), MailServers.imaps(), "SSL",
                MailServers.smtps(), "SSL");
        named.put("name", "Jo at the provider");
        named.put("password", "");
        named.remove("smtp_password");
        Fixtures.as(user).body(named).put(ACCOUNTS).then().statusCode(200).body("response.name", equalTo("Jo at the provider"));
        Fixtures.as(user).body(Map.of("html", "<b>Jo</b>", "isActive", true)).post(MAIL + "/signature/update/{id}", id).then().statusCode(200);
        // posting the address again through accounts/simple upserts the servers, not what the user set elsewhere
        Fixtures.as(user).body(Map.of("email", login, "password", password)).post(ACCOUNTS + "/simple").then().statusCode(200)
                .body("response.mailboxId", equalTo((int) id))
                .body("response.signature.html", equalTo("<b>Jo</b>"))
                .body("response.name", equalTo("Jo at the provider"));
    }

    // ---- hostile servers -------------------------------------------------------------------

    @Test
    void shouldGiveUpOnAServerThatDripsItsGreetingForever() throws Exception {
        UserRef user = user();
        try (FakeServer drip = new FakeServer(FakeServer.Mode.DRIP_GREETING)) {
            Map<String, Object> body = plainImap(MailServers.mailbox());
            body.put("port", drip.port());
            long started = System.nanoTime();
            Response r;
            try {
                r = assertTimeoutPreemptively(Duration.ofSeconds(45), () -> Fixtures.as(user).body(body).post(ACCOUNTS));
            } catch (Throwable e) {
                long waited = (System.nanoTime() - started) / 1_000_000_000L;
                throw new AssertionError("no answer after " + waited + " s: a server that sends one byte a second holds the request"
                        + " (and a worker thread) indefinitely (" + e + ")", e);
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertEquals(400, r.statusCode(), r.asString());
            r.then().body("error.side", equalTo("IMAP")).body("error.phase", equalTo("connect"));
            assertTrue(seconds < 30, "took " + seconds + " s");
            assertEquals(0, accounts(user));
        }
    }

    // ---- secrets ------------------------------------------------------------------------------

    @Test
    void shouldKeepEverySecretOutOfTheLogAndOutOfResponses() throws Exception {
        UserRef user = user();
        List<String> secrets = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        Mailbox box = MailServers.mailbox();
        secrets.add(box.password());

        Map<String, Object> wrongIn = plainImap(box);
        String a = Fixtures.secret();
        secrets.add(a);
        wrongIn.put("password", a);
        answers.add(Fixtures.as(user).body(wrongIn).post(ACCOUNTS).then().statusCode(400).extract().asString());

        Map<String, Object> wrongSmtp = plainImap(box);
        String b = Fixtures.secret();
        secrets.add(b);
        wrongSmtp.put("smtp_password", b);
        answers.add(Fixtures.as(user).body(wrongSmtp).post(ACCOUNTS).then().statusCode(400).extract().asString());

        Map<String, Object> oauth = plainImap(box);
        String c = Fixtures.secret();
        secrets.add(c);
        oauth.put("auth_type_in", "OAuth2");
        oauth.put("auth_type_smtp", "OAuth2");
        oauth.put("password", c);
        oauth.put("smtp_password", c);
        answers.add(Fixtures.as(user).body(oauth).post(ACCOUNTS).then().statusCode(400).extract().asString());

        Map<String, Object> closed = plainImap(box);
        closed.put("port", MailServers.closedPort());
        answers.add(Fixtures.as(user).body(closed).post(ACCOUNTS).then().statusCode(400).extract().asString());

        Map<String, Object> tls = MailAccountsTest.settings(box, MailServers.imap(), "SSL", MailServers.smtp(), "None");
        answers.add(Fixtures.as(user).body(tls).post(ACCOUNTS).then().statusCode(400).extract().asString());

        answers.add(Fixtures.as(user).body(plainImap(box)).post(ACCOUNTS).then().statusCode(201).extract().asString());
        answers.add(Fixtures.as(user).body(plainImap(box)).post(ACCOUNTS).then().statusCode(200).extract().asString());
        answers.add(Fixtures.as(user).get(ACCOUNTS + ".xml").then().statusCode(200).extract().asString());

        Map<String, Object> badType = plainImap(box);
        String d = Fixtures.secret();
        secrets.add(d);
        badType.put("smtp_auth", d);
        answers.add(Fixtures.as(user).body(badType).post(ACCOUNTS).then().statusCode(400).extract().asString());

        String e = Fixtures.secret();
        secrets.add(e);
        MailServers.get().getUserManager().getUser(box.login()).setPassword(e);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(200);
        answers.add(Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then()
                .statusCode(400).extract().asString());
        String f = Fixtures.secret();
        secrets.add(f);
        answers.add(Fixtures.as(user).body(Map.of("email", "who@" + MailServerResource.PROVIDER_DOMAIN, "password", f))
                .post(ACCOUNTS + "/simple").then().statusCode(400).extract().asString());

        for (String answer : answers) {
            for (String secret : secrets) {
                assertFalse(answer.contains(secret), "a response carries a secret: " + answer);
                assertFalse(answer.contains(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))), answer);
            }
        }
        Path log = Path.of("target/test-service.log");
        assertTrue(Files.exists(log), "the test profile logs to " + log);
        List<String> entries = serviceLogEntries(Files.readString(log));
        assertFalse(entries.isEmpty());
        for (String entry : entries) {
            assertFalse(entry.contains(Fixtures.SECRET_MARK), "the service logged a secret: " + entry);
            for (String secret : secrets) {
                assertFalse(entry.contains(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))), entry);
            }
        }
    }

    /** Log entries of the service itself (GreenMail, the test's mail server, logs into the same file). */
    static List<String> serviceLogEntries(String log) {
        Pattern start = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
        List<String> out = new ArrayList<>();
        var m = start.matcher(log);
        List<Integer> starts = new ArrayList<>();
        while (m.find()) {
            starts.add(m.start());
        }
        for (int i = 0; i < starts.size(); i++) {
            String entry = log.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : log.length());
            if (!entry.matches("(?s)^\\S+ \\S+\\s+\\[co\\.ic\\.gr\\..*")) {
                out.add(entry);
            }
        }
        return out;
    }

    @Test
    void shouldAcceptANewPasswordWhenTheStoredSecretCanNoLongerBeDecrypted() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        // as after a key rotation that dropped the old key: ciphertexts under a key this service does not have
        Db.update("UPDATE mail_accounts SET in_secret = 'v1.00000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',"
                + " smtp_secret = 'v1.00000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' WHERE id = ?", id);
        Fixtures.as(user).get(ACCOUNTS).then().statusCode(200).body("count", equalTo(1));
        Fixtures.as(user).queryParam("email", box.email()).get(ACCOUNTS + "/single").then().statusCode(200);
        // the user types the password again: that must repair the account, not answer 503
        Fixtures.as(user).body(plainImap(box)).put(ACCOUNTS).then().statusCode(200).body("response.mailboxId", equalTo((int) id));
        Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(200);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then().statusCode(200);
    }

    @Test
    void shouldAnswer503NotACrashWhenAStoredSecretIsUnreadableAndNeeded() {
        UserRef user = user();
        Mailbox box = MailServers.mailbox();
        long id = create(user, plainImap(box));
        Db.update("UPDATE mail_accounts SET in_secret = 'garbage' WHERE id = ?", id);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(200);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then().statusCode(503)
                .body("status", equalTo(1)).body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        Map<String, Object> keep = plainImap(box);
        keep.put("password", "");
        keep.remove("smtp_password");
        Fixtures.as(user).body(keep).put(ACCOUNTS).then().statusCode(anyOf(equalTo(503), equalTo(400)));
        // a ciphertext under the right key but cut short (shorter than IV + tag): still a clean 503
        String sealed = Db.string("SELECT smtp_secret FROM mail_accounts WHERE id = ?", id);
        String keyId = sealed.split("\\.")[1];
        Db.update("UPDATE mail_accounts SET in_secret = ? WHERE id = ?",
                "v1." + keyId + "." + Base64.getEncoder().encodeToString(new byte[20]), id);
        Fixtures.as(user).body(Map.of("email", box.email(), "state", true)).put(ACCOUNTS + "/state").then().statusCode(503)
                .body("status", equalTo(1)).body("error.code", equalTo("SERVICE_UNAVAILABLE"));
        Fixtures.as(user).body(keep).put(ACCOUNTS).then().statusCode(anyOf(equalTo(503), equalTo(400)));
    }

    // ---- HTML ---------------------------------------------------------------------------------

    @Test
    void shouldStripEveryScriptVectorFromSignaturesAndAutoreplies() {
        UserRef user = user();
        long id = create(user, plainImap(MailServers.mailbox()));
        String[] vectors = {
            "<img src=x onerror=alert(1)>", "<svg onload=alert(1)><script>alert(1)</script></svg>",
            "<a href=\" javascript:alert(1)\">a</a>", "<a href=\"&#106;avascript:alert(1)\">b</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">c</a>", "<iframe src=\"https://evil.example\"></iframe>",
            "<form action=\"https://evil.example\"><input name=p></form>", "<p style=\"background:url(javascript:alert(1))\">d</p>",
            "<style>body{display:none}</style>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
            "<object data=\"x.swf\"></object>", "<base href=\"https://evil.example/\">", "<meta http-equiv=\"refresh\" content=\"0;url=https://evil\">"};
        for (String v : vectors) {
            String sig = Fixtures.as(user).body(Map.of("html", "<b>ok</b>" + v, "isActive", true)).post(MAIL + "/signature/update/{id}", id)
                    .then().statusCode(200).extract().jsonPath().getString("response.html");
            String auto = Fixtures.as(user).body(Map.of("turnOn", true, "html", "<b>ok</b>" + v)).post(MAIL + "/autoreply/update/{id}", id)
                    .then().statusCode(200).extract().jsonPath().getString("response.html");
            for (String html : new String[] {sig, auto}) {
                String lower = html.toLowerCase();
                assertTrue(html.contains("<b>ok</b>"), html);
                for (String bad : new String[] {"<script", "onerror", "onload", "javascript:", "<iframe", "<form", "<input", "style=",
                        "<style", "data:", "<object", "<base", "<meta", "<svg", "<math"}) {
                    assertFalse(lower.contains(bad), v + " → " + html);
                }
            }
        }
    }

    // ---- ids ------------------------------------------------------------------------------------

    @Test
    void shouldRefuseMalformedMailboxIdsInTheEnvelope() {
        UserRef user = user();
        Snapshot before = Snapshot.take();
        for (String id : new String[] {"0", "-1", "1.5", "1e3", "9999999999999999999", "%20", "0x10"}) {
            Response r = Fixtures.as(user).urlEncodingEnabled(false).body(Map.of("html", "x", "isActive", true))
                    .post(MAIL + "/signature/update/" + id);
            assertEquals(400, r.statusCode(), id + ": " + r.asString());
            r.then().body("status", equalTo(1)).body("error.code", equalTo("INVALID_ID"));
        }
        Fixtures.as(user).body(Map.of("turnOn", true)).post(MAIL + "/autoreply/update/999999999999").then().statusCode(404)
                .body("error.code", equalTo("MAIL_ACCOUNT_NOT_FOUND"));
        before.assertUnchanged();
    }

    // ---- offboarding --------------------------------------------------------------------------

    @Test
    void shouldDeleteExternalAccountsWithTheirUser() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        UserRef neighbour = Fixtures.user(context);
        create(user, plainImap(MailServers.mailbox()));
        create(user, plainImap(MailServers.mailbox()));
        create(neighbour, plainImap(MailServers.mailbox()));
        long pk = userPk(user);
        Fixtures.as(context).delete("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id()).then()
                .statusCode(anyOf(equalTo(200), equalTo(204)));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_accounts WHERE user_pk = ?", pk));
        assertEquals(1, accounts(neighbour));
        Fixtures.as(context).get("/oxaas/v1/admin/contexts/{cid}/users/{uid}/mailaccounts", context.id(), user.id()).then()
                .statusCode(404).body("code", equalTo("USER_NOT_FOUND"));
        Fixtures.as(user).get(ACCOUNTS).then().statusCode(401).body("status", equalTo(1));
        // a request of the deleted user that was already past authentication cannot resurrect an account
        Fixtures.as(neighbour).get(ACCOUNTS).then().statusCode(200).body("count", equalTo(1));
    }

    @Test
    void shouldDeleteExternalAccountsWithTheirContext() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        create(user, plainImap(MailServers.mailbox()));
        long pk = userPk(user);
        Fixtures.as(context.reseller()).delete("/oxaas/v1/admin/contexts/{cid}", context.id()).then()
                .statusCode(anyOf(equalTo(200), equalTo(204)));
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_accounts WHERE user_pk = ?", pk));
        Fixtures.as(user).get(ACCOUNTS).then().statusCode(401);
    }

    @Test
    void shouldAnswerUserNotFoundWhenTheUserIsDeletedWhileSaving() throws Exception {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Mailbox box = MailServers.mailbox();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (FakeServer slow = new FakeServer(FakeServer.Mode.HELD_LOGIN)) {
            Map<String, Object> body = plainImap(box);
            body.put("port", slow.port());
            // the held IMAP login keeps the verification busy; the admin deletes the user meanwhile
            Future<Response> save = pool.submit(() -> Fixtures.as(user).body(body).post(ACCOUNTS));
            assertTrue(slow.loginReceived.await(30, TimeUnit.SECONDS), "the save reached its IMAP login");
            Fixtures.as(context).delete("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id()).then()
                    .statusCode(anyOf(equalTo(200), equalTo(204)));
            slow.release.countDown();
            Response r = save.get();
            assertEquals(404, r.statusCode(), r.asString());
            r.then().body("status", equalTo(1)).body("error.code", equalTo("USER_NOT_FOUND"));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, Db.count("SELECT COUNT(*) FROM mail_accounts WHERE email = ?", box.email()));
    }

    @Test
    void shouldNotLetAnotherUserUpdateOrEnableAnAccountByAddress() {
        UserRef owner = user();
        UserRef stranger = Fixtures.user(owner.context());
        Mailbox box = MailServers.mailbox();
        create(owner, plainImap(box));
        Snapshot before = Snapshot.take();
        Fixtures.as(stranger).body(plainImap(box)).put(ACCOUNTS).then().statusCode(404);
        Fixtures.as(stranger).body(Map.of("email", box.email(), "state", false)).put(ACCOUNTS + "/state").then().statusCode(404);
        Fixtures.as(stranger).body(Map.of("email", box.email(), "isDefault", true)).put(ACCOUNTS + "/default").then().statusCode(404);
        before.assertUnchanged();
        // the stranger may add the same external address as an account of their own
        create(stranger, plainImap(box));
        assertEquals(1, accounts(owner));
        assertEquals(1, accounts(stranger));
    }

    static <T> Map<String, T> copy(Map<String, T> m) {
        return new HashMap<>(m);
    }
}
