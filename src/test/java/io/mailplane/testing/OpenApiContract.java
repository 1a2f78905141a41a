package io.mailplane.testing;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.filter.Filter;
import io.restassured.response.Response;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OpenAPI document the service serves, and checks of real answers against it: a status an
 * operation answers must be one its document declares.
 */
public final class OpenApiContract {
    /** Where the service serves its document (the one place tests fetch it from). */
    public static final String DOCUMENT_PATH = "/q/openapi";

    /** Spellings the service accepts for OX clients that the document leaves out, and the path they mean. */
    private static final Map<String, String> ALTERNATIVE_SPELLINGS = Map.of(
            "/oxaas/v1/admin/sharedmaildomains/*", "/oxaas/v1/admin/sharedmaildomains");
    private static final String GATEWAY_PREFIX = "/api/oxaas/";

    private static volatile Map<String, Object> document;

    private OpenApiContract() {
    }

    /** The served document as JSON, fetched once per test run. */
    public static Map<String, Object> document() {
        if (document == null) {
            document = fetch(DOCUMENT_PATH + "?format=json", "application/json").jsonPath().getMap("$");
        }
        return document;
    }

    /**
     * The served document in the given format ({@code application/yaml} or {@code application/json}),
     * from the management interface (it is not served on the API port).
     */
    public static Response fetch(String path, String accept) {
        String management = TestHTTPResourceManager.getManagementUri().replaceFirst("/q/?$", "").replaceFirst("/$", "");
        return given().accept(accept).get(management + path).then().statusCode(200).extract().response();
    }

    /**
     * A REST Assured filter that fails the request's test when the service answers a status the
     * document does not declare for that operation (or the path matches no documented operation).
     */
    public static Filter statusDeclared() {
        return (request, response, ctx) -> {
            Response answer = ctx.next(request, response);
            assertDeclared(request.getMethod(), URI.create(request.getURI()).getRawPath(), answer.statusCode());
            return answer;
        };
    }

    /** Fails unless the document declares {@code status} for {@code method} on the template {@code rawPath} matches. */
    public static void assertDeclared(String method, String rawPath, int status) {
        String path = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        if (path.startsWith(GATEWAY_PREFIX)) {
            path = path.substring(4);
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        path = ALTERNATIVE_SPELLINGS.getOrDefault(path, path);
        String template = template(path).orElseThrow(() -> new AssertionError(
                "No path of the OpenAPI document matches " + method + " " + rawPath));
        Map<String, Object> operation = operations(template).get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            throw new AssertionError("The OpenAPI document has no " + method + " " + template + " (called as " + rawPath + ")");
        }
        @SuppressWarnings("unchecked")
        Set<String> declared = ((Map<String, Object>) operation.get("responses")).keySet();
        if (!declared.contains(Integer.toString(status))) {
            throw new AssertionError(method + " " + template + " (" + operation.get("operationId") + ") answered " + status
                    + " but the OpenAPI document declares only " + declared);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> paths() {
        return (Map<String, Map<String, Object>>) document().get("paths");
    }

    /** The operations of a path, by lower-case method. */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> operations(String template) {
        Map<String, Map<String, Object>> operations = new java.util.LinkedHashMap<>();
        paths().get(template).forEach((key, value) -> {
            if (List.of("get", "put", "post", "delete", "head", "patch", "options").contains(key)) {
                operations.put(key, (Map<String, Object>) value);
            }
        });
        return operations;
    }

    /** The document's path that matches a concrete path; literal segments win over parameters. */
    public static Optional<String> template(String path) {
        return paths().keySet().stream()
                .filter(t -> TEMPLATES.computeIfAbsent(t, OpenApiContract::compile).matcher(path).matches())
                .max(Comparator.comparingInt(t -> t.replaceAll("\\{[^/}]+}", "").length()));
    }

    /** Each template's pattern, compiled once: the access matrix matches every request it sends. */
    private static final Map<String, Pattern> TEMPLATES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Pattern compile(String template) {
        return Pattern.compile(template.replaceAll("\\{[^/}]+}", "\u0000").replace(".", "\\.").replace("*", "\\*")
                .replace("\u0000", "[^/]+"));
    }
}
