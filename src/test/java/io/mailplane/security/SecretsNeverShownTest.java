package io.mailplane.security;

import static io.mailplane.testing.Fixtures.anonymous;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No password or password hash ever appears in a response or in the service log. */
@QuarkusTest
class SecretsNeverShownTest {
    private static final Path LOG = Path.of("target", "test-service.log");

    @Test
    void responsesAndLogsNeverContainPasswordsOrHashes() throws IOException {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        List<String> bodies = new ArrayList<>();
        String base = "/oxaas/v1/admin/contexts/" + context.id();
        bodies.add(Fixtures.as(context.reseller()).get("/oxaas/v1/admin/resellers/" + context.reseller().id()).asString());
        bodies.add(Fixtures.as(context.reseller()).get("/oxaas/v1/admin/resellers").asString());
        bodies.add(Fixtures.as(context.reseller()).get("/oxaas/v1/admin/contexts").asString());
        bodies.add(Fixtures.as(context).get(base).asString());
        bodies.add(Fixtures.as(context).get(base + "/users").asString());
        bodies.add(Fixtures.as(context).get(base + "/users/" + user.id()).asString());
        bodies.add(Fixtures.as(context).body(Map.of("password", Fixtures.secret())).put(base + "/users/" + user.id() + "/password").asString());
        bodies.add(Fixtures.asMaster().get("/oxaas/v1/admin/audit").asString());
        // failures: wrong password, bad input carrying a password, malformed JSON with a password in it
        bodies.add(Fixtures.as(context.adminLogin(), Fixtures.secret()).get(base).asString());
        bodies.add(Fixtures.as(context).body(Map.of("password", Fixtures.SECRET_MARK)).put(base + "/users/" + user.id() + "/password").asString());
        bodies.add(Fixtures.as(context).body("{\"password\": \"" + Fixtures.SECRET_MARK + "x\", ").put(base + "/users/" + user.id() + "/password").asString());
        bodies.add(Fixtures.as(context).body("{\"password\": 12345678, \"x\": \"" + Fixtures.SECRET_MARK + "\"}").put(base + "/users/" + user.id() + "/password").asString());
        bodies.add(anonymous().body(Map.of("userName", user.name(), "password", Fixtures.secret())).post("/api/2.0/authentication").asString());

        for (String body : bodies) {
            assertFalse(body.contains(Fixtures.SECRET_MARK), "a password in a response: " + body);
            assertFalse(body.matches("(?s).*\\$2[aby]\\$.*"), "a password hash in a response: " + body);
            assertFalse(body.toLowerCase().contains("hash"), "a hash field in a response: " + body);
        }
        String log = Files.exists(LOG) ? Files.readString(LOG) : "";
        assertFalse(log.isEmpty(), "the test log is missing");
        assertFalse(log.contains(Fixtures.SECRET_MARK), "a password in the log");
        assertFalse(log.contains(Fixtures.MASTER_PASSWORD), "the master password in the log");
        assertFalse(log.matches("(?s).*\\$2[aby]\\$\\d\\d\\$.*"), "a password hash in the log");
    }
}
