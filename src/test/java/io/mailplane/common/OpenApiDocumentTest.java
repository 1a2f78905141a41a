package io.mailplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code openapi/openapi.yaml} is what the code produces, and it is fit for SDK
 * generators. To regenerate it:
 * {@code ./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.write=true}.
 * (The access matrix, {@code security/AccessMatrixTest}, checks that every status it observes is declared.)
 */
@QuarkusTest
class OpenApiDocumentTest {
    private static final Path COMMITTED = Path.of("openapi", "openapi.yaml");
    private static final Set<String> SCALARS = Set.of("string", "integer", "number", "boolean");

    // ---- drift ----------------------------------------------------------------------------

    @Test
    void committedDocumentShouldMatchTheCode() throws IOException {
        String generated = OpenApiContract.fetch(OpenApiContract.DOCUMENT_PATH, "application/yaml").asString();
        if (Boolean.getBoolean("openapi.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertEquals(committed, generated, "openapi/openapi.yaml is stale: regenerate it with "
                + "./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.write=true and commit it");
    }

    // ---- what SDK generators need ---------------------------------------------------------

    @Test
    void everyOperationHasAUniqueOperationId() {
        Map<String, String> seen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        eachOperation((where, operation) -> {
            Object id = operation.get("operationId");
            if (!(id instanceof String name) || !name.matches("[a-z][A-Za-z0-9]*")) {
                problems.add(where + ": no camelCase operationId (" + id + ")");
            } else if (seen.put(name, where) != null) {
                problems.add(where + ": operationId " + name + " also names " + seen.get(name));
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyRequestAndResponseBodyHasANamedSchema() {
        List<String> problems = new ArrayList<>();
        eachOperation((where, operation) -> {
            if (operation.get("requestBody") instanceof Map<?, ?> body) {
                checkContent(where + " request body", map(body.get("content")), problems);
            }
            map(operation.get("responses")).forEach((status, response) ->
                    checkContent(where + " " + status, map(resolve(map(response)).get("content")), problems));
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyOperationDeclaresOnlyRealStatusesOfItsKind() {
        List<String> problems = new ArrayList<>();
        eachOperation((where, operation) -> {
            Map<String, Object> responses = map(operation.get("responses"));
            if (responses.keySet().stream().noneMatch(s -> s.startsWith("2"))) {
                problems.add(where + ": no success status");
            }
            responses.forEach((status, response) -> {
                Map<String, Object> resolved = resolve(map(response));
                if (status.equals("204") && resolved.get("content") != null) {
                    problems.add(where + " 204 has a body");
                }
                if (where.startsWith("head ") && resolved.get("content") != null) {
                    problems.add(where + " " + status + ": a HEAD answer has no body");
                }
                boolean error = status.startsWith("4") || status.startsWith("5");
                if (error && !where.startsWith("head ")) {
                    String expected = where.contains(" /api/2.0/mail/") ? "application/json=#/components/schemas/OnlyofficeError"
                            : "application/problem+json=#/components/schemas/Problem";
                    String[] type = expected.split("=");
                    Map<String, Object> media = map(map(resolved.get("content")).get(type[0]));
                    if (!type[1].equals(map(media.get("schema")).get("$ref"))) {
                        problems.add(where + " " + status + ": not " + expected);
                    }
                }
                if ((status.equals("429") || status.equals("503")) && !map(resolved.get("headers")).containsKey("Retry-After")) {
                    problems.add(where + " " + status + ": no Retry-After header");
                }
            });
            if (operation.get("security") instanceof List<?> security && !security.isEmpty()) {
                for (String status : List.of("401", "403", "429")) {
                    if (!responses.containsKey(status)) {
                        problems.add(where + ": authenticated but does not declare " + status);
                    }
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void createdResourcesAnswer201WithLocationAndETag() {
        for (String operationId : List.of("createReseller", "createContext", "createUser", "createGroup")) {
            Map<String, Object> created = resolve(map(map(operation(operationId).get("responses")).get("201")));
            assertTrue(map(created.get("headers")).keySet().containsAll(Set.of("Location", "ETag")), operationId + " 201: " + created);
        }
        for (String operationId : List.of("getReseller", "getContext", "getUser", "getGroup", "updateUser")) {
            Map<String, Object> ok = resolve(map(map(operation(operationId).get("responses")).get("200")));
            assertTrue(map(ok.get("headers")).containsKey("ETag"), operationId + " 200 declares no ETag");
        }
    }

    @Test
    void pathParametersAreDeclaredOnceInUrlOrderAndTyped() {
        List<String> problems = new ArrayList<>();
        OpenApiContract.paths().forEach((path, item) -> {
            if (item.containsKey("parameters")) {
                problems.add(path + ": parameters on the path item (declare them per operation)");
            }
            List<String> inUrl = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) {
                inUrl.add(m.group(1));
            }
            OpenApiContract.operations(path).forEach((method, operation) -> {
                List<String> declared = new ArrayList<>();
                for (Object p : list(operation.get("parameters"))) {
                    Map<String, Object> parameter = map(p);
                    if ("path".equals(parameter.get("in"))) {
                        declared.add((String) parameter.get("name"));
                        if (!SCALARS.contains(String.valueOf(map(parameter.get("schema")).get("type")))) {
                            problems.add(method + " " + path + ": path parameter " + parameter.get("name") + " untyped");
                        }
                    }
                }
                if (!declared.equals(inUrl)) {
                    problems.add(method + " " + path + ": path parameters " + declared + ", URL order " + inUrl);
                }
            });
        });
        Set<String> names = new TreeSet<>();
        OpenApiContract.paths().keySet().forEach(p -> names.addAll(Pattern.compile("\\{([^}]+)}").matcher(p).results()
                .map(r -> r.group(1)).toList()));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        Map<String, List<String>> spellings = names.stream().collect(java.util.stream.Collectors.groupingBy(String::toLowerCase));
        assertTrue(spellings.values().stream().allMatch(s -> s.size() == 1), "path parameters spelt differently: " + spellings);
    }

    @Test
    void idsAndPagingAreBoundedIntegers() {
        for (String operationId : List.of("getUser", "getGroup", "getReseller", "listResellers", "listUsers", "searchUsers")) {
            for (Object p : list(operation(operationId).get("parameters"))) {
                Map<String, Object> parameter = map(p);
                String name = (String) parameter.get("name");
                if (Set.of("userid", "groupid", "id", "limit", "offset").contains(name)) {
                    Map<String, Object> schema = map(parameter.get("schema"));
                    assertEquals("integer", schema.get("type"), operationId + " " + name);
                    assertTrue(schema.containsKey("minimum"), operationId + " " + name + " has no minimum");
                    if (name.equals("limit")) {
                        assertEquals(1000, ((Number) schema.get("maximum")).intValue());
                        assertEquals(100, ((Number) schema.get("default")).intValue());
                    }
                }
            }
        }
    }

    @Test
    void theStatusCheckOfTheAccessMatrixRefusesUndeclaredStatusesAndKnowsOxSpellings() {
        OpenApiContract.assertDeclared("DELETE", "/oxaas/v1/admin/resellers/7", 204);
        OpenApiContract.assertDeclared("GET", "/api/oxaas/v1/admin/contexts/ctx/users/3/blacklist/*@spam.example", 200);
        OpenApiContract.assertDeclared("GET", "/oxaas/v1/admin/sharedmaildomains/*", 200);
        OpenApiContract.assertDeclared("DELETE", "/oxaas/v1/admin/sessions/", 200);
        assertThrows(AssertionError.class, () -> OpenApiContract.assertDeclared("DELETE", "/oxaas/v1/admin/resellers/7", 201));
        assertThrows(AssertionError.class, () -> OpenApiContract.assertDeclared("PATCH", "/oxaas/v1/admin/resellers/7", 200));
        assertThrows(AssertionError.class, () -> OpenApiContract.assertDeclared("GET", "/oxaas/v1/admin/no-such-thing", 200));
    }

    // ---- security, tags, header -----------------------------------------------------------

    @Test
    void operationsUseOneBasicAndOneBearerSchemeAndNameTheirOxRealm() {
        Map<String, Object> schemes = map(map(OpenApiContract.document().get("components")).get("securitySchemes"));
        assertEquals(Set.of("basicAuth", "bearerAuth"), schemes.keySet());
        assertEquals("basic", map(schemes.get("basicAuth")).get("scheme"));
        assertEquals("bearer", map(schemes.get("bearerAuth")).get("scheme"));
        Set<String> realms = Set.of("contextAdminAuth", "contextAdminOnlyAuth", "resellerAdminAuth", "tennantAuth", "basicAuth");
        List<String> problems = new ArrayList<>();
        eachOperation((where, operation) -> {
            if ("signIn".equals(operation.get("operationId"))) {
                return;
            }
            Object realm = operation.get("x-ox-auth");
            if (!realms.contains(realm)) {
                problems.add(where + ": x-ox-auth " + realm);
            } else if (!String.valueOf(operation.get("description")).contains("(OX " + realm + ")")) {
                problems.add(where + ": description does not name the OX realm " + realm);
            }
            List<Object> expected = realm != null && realm.equals("basicAuth")
                    ? List.of(Map.of("basicAuth", List.of()), Map.of("bearerAuth", List.of()))
                    : List.of(Map.of("basicAuth", List.of()));
            if (!expected.equals(operation.get("security"))) {
                problems.add(where + ": security " + operation.get("security"));
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(List.of(), operation("signIn").get("security"), "signing in needs no credentials");
        assertEquals("resellerAdminAuth", operation("createReseller").get("x-ox-auth"));
        assertEquals("contextAdminAuth", operation("createUser").get("x-ox-auth"));
    }

    @Test
    void everyOperationHasADescribedTag() {
        Set<String> described = new TreeSet<>();
        for (Object t : list(OpenApiContract.document().get("tags"))) {
            if (map(t).get("description") instanceof String d && !d.isBlank()) {
                described.add((String) map(t).get("name"));
            }
        }
        List<String> problems = new ArrayList<>();
        eachOperation((where, operation) -> {
            List<Object> tags = list(operation.get("tags"));
            if (tags.size() != 1 || !described.contains(tags.get(0))) {
                problems.add(where + ": tags " + tags);
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void documentNamesServerLicenseAndTheServiceVersion() {
        Map<String, Object> info = map(OpenApiContract.document().get("info"));
        assertEquals(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class), info.get("version"));
        assertTrue(map(info.get("license")).containsKey("name"));
        assertTrue(!list(OpenApiContract.document().get("servers")).isEmpty());
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void eachOperation(BiConsumer<String, Map<String, Object>> check) {
        OpenApiContract.paths().keySet().forEach(path ->
                OpenApiContract.operations(path).forEach((method, operation) -> check.accept(method + " " + path, operation)));
    }

    private static Map<String, Object> operation(String operationId) {
        List<Map<String, Object>> found = new ArrayList<>();
        eachOperation((where, operation) -> {
            if (operationId.equals(operation.get("operationId"))) {
                found.add(operation);
            }
        });
        assertEquals(1, found.size(), "operations named " + operationId);
        return found.get(0);
    }

    /**
     * A body is a named schema, or an array or map (keyed by name) of named schemas or scalars, or a scalar:
     * never {@code {}} or an inline object with properties.
     */
    private static void checkContent(String where, Map<String, Object> content, List<String> problems) {
        content.forEach((mediaType, media) -> {
            Map<String, Object> schema = map(map(media).get("schema"));
            Map<String, Object> item = "array".equals(schema.get("type")) ? map(schema.get("items"))
                    : "object".equals(schema.get("type")) && !schema.containsKey("properties") ? map(schema.get("additionalProperties"))
                    : schema;
            if ("array".equals(item.get("type"))) {
                item = map(item.get("items"));
            }
            if (!item.containsKey("$ref") && !SCALARS.contains(String.valueOf(item.get("type")))) {
                problems.add(where + " " + mediaType + ": untyped or unnamed schema " + schema);
            }
        });
    }

    /** A response or a reference to one in components/responses. */
    private static Map<String, Object> resolve(Map<String, Object> response) {
        if (response.get("$ref") instanceof String ref) {
            return map(map(map(OpenApiContract.document().get("components")).get("responses"))
                    .get(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        return response;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
