package io.mailplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A method the path does not offer is 405 with {@code Allow}; OPTIONS names exactly the methods the path offers. */
@QuarkusTest
class MethodNotAllowedTest {
    private static final String ENTRY_ALLOW = "DELETE, GET, HEAD, OPTIONS, PUT";

    @Inject
    RouteTable routes;

    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    @Test
    void patchAndTraceOnExistingPathsAre405WithAllowAsProblem() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String users = "/oxaas/v1/admin/contexts/" + context.id() + "/users/" + user.id();
        Map<String, String> paths = Map.of(
                users + "/whitelist/cfo@victim-corp.example", ENTRY_ALLOW,
                users + "/uidname", "GET, HEAD, OPTIONS, PUT",
                "/oxaas/v1/admin/resellers/" + context.reseller().id(), ENTRY_ALLOW,
                "/oxaas/v1/admin/resellers", "GET, HEAD, OPTIONS, POST");
        for (var path : paths.entrySet()) {
            for (String method : List.of("PATCH", "TRACE")) {
                Fixtures.as(context).request(method, path.getKey()).then()
                        .statusCode(405)
                        .contentType(Problem.MEDIA_TYPE)
                        .header("Allow", path.getValue())
                        .header("X-Request-Id", notNullValue())
                        .body("code", equalTo("METHOD_NOT_ALLOWED"));
            }
        }
    }

    @Test
    void aMethodDeclaredForOtherPathsOnlyIs405WithAllow() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        Fixtures.as(context).delete("/oxaas/v1/admin/contexts/{c}/users/{u}/antivirus", context.id(), user.id()).then()
                .statusCode(405).header("Allow", "GET, HEAD, OPTIONS, PUT").body("code", equalTo("METHOD_NOT_ALLOWED"));
        Fixtures.asMaster().delete("/oxaas/v1/admin/resellers").then()
                .statusCode(405).header("Allow", "GET, HEAD, OPTIONS, POST");
        // the gateway prefix is the same API
        Fixtures.asMaster().request("PATCH", "/api/oxaas/v1/admin/resellers").then()
                .statusCode(405).header("Allow", "GET, HEAD, OPTIONS, POST");
    }

    @Test
    void onlyofficePathsAnswer405InTheEnvelopeWithAllow() {
        UserRef user = Fixtures.user(Fixtures.context());
        Fixtures.as(user).body("{}").request("PATCH", "/api/2.0/mail/accounts").then()
                .statusCode(405).contentType(ContentType.JSON)
                .header("Allow", "DELETE, GET, HEAD, OPTIONS, POST, PUT")
                .header("X-Request-Id", notNullValue())
                .body("status", equalTo(1)).body("statusCode", equalTo(405)).body("error.code", equalTo("METHOD_NOT_ALLOWED"));
        Fixtures.as(user).accept("application/xml").request("TRACE", "/api/2.0/mail/accounts/simple.xml").then()
                .statusCode(405).contentType("application/xml").header("Allow", "OPTIONS, POST");
    }

    @Test
    void optionsNamesExactlyTheMethodsOfThePath() {
        ContextRef context = Fixtures.context();
        given().options("/oxaas/v1/admin/resellers").then().statusCode(200)
                .header("Allow", "GET, HEAD, OPTIONS, POST").header("X-Request-Id", notNullValue());
        given().options("/oxaas/v1/admin/resellers/1").then().statusCode(200).header("Allow", ENTRY_ALLOW);
        given().options("/oxaas/v1/admin/contexts/{c}/users/3/whitelist/a@b.example", context.id()).then()
                .statusCode(200).header("Allow", ENTRY_ALLOW);
    }

    @Test
    void headStillAnswersLikeGetWithoutBody() {
        Fixtures.asMaster().head("/oxaas/v1/admin/resellers").then().statusCode(200).body(emptyString());
    }

    @Test
    void theRouteTableAllowsEveryOperationOfTheApiDocument() {
        JsonPath doc = given().accept("application/json").get(openapi + "?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (var path : paths.entrySet()) {
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "x1");
            for (String method : path.getValue().keySet()) {
                String verb = method.toUpperCase();
                if (List.of("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS").contains(verb)) {
                    operations++;
                    if (routes.match(concrete).map(m -> !m.allows(verb)).orElse(true)) {
                        missing.add(verb + " " + path.getKey());
                    }
                }
            }
        }
        assertTrue(operations > 50, "the document lists the API: " + operations);
        assertTrue(missing.isEmpty(), "operations the route table does not know: " + missing);
    }
}
