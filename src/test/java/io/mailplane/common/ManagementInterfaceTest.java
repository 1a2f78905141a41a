package io.mailplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.RawHttp.Answer;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Health, metrics and the API document live on the management interface, not on the API port, and
 * the HTTP metrics name requests by path template only: no raw path (with the addresses it may
 * carry) ever becomes a {@code uri} tag, however the request failed.
 */
@QuarkusTest
class ManagementInterfaceTest {
    private static final Pattern URI_TAG = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE);
    /** The values Quarkus and the edge use for requests without a template. */
    private static final Set<String> FIXED = Set.of("/UNMATCHED", "NOT_FOUND", "REDIRECTION", "root", "UNKNOWN");

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;
    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;
    @TestHTTPResource(value = "swagger-ui/", management = true)
    URL swaggerUi;

    @Inject
    RouteTable routes;

    @Test
    void healthMetricsAndTheApiDocumentAreNotServedOnTheApiPort() {
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/openapi", "/q/swagger-ui/")) {
            given().get(path).then().statusCode(404).contentType(Problem.MEDIA_TYPE).header("X-Request-Id", notNullValue());
        }
    }

    @Test
    void healthMetricsAndTheApiDocumentAreServedOnTheManagementPort() {
        assertTrue(metrics.getPort() != RawHttp.port(), "a port of its own");
        given().get(ready.toString()).then().statusCode(200).body("status", equalTo("UP")).header("X-Request-Id", notNullValue());
        // one request to the API first, so the HTTP metrics exist whatever ran before in this JVM
        Fixtures.anonymous().get("/oxaas/v1/admin/resellers").then().statusCode(401);
        given().get(metrics.toString()).then().statusCode(200).body(containsString("http_server_requests_seconds"));
        given().accept("application/json").get(openapi + "?format=json").then().statusCode(200)
                .body("info.title", equalTo("Mailplane admin API"));
        given().get(swaggerUi.toString()).then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void noRawPathBecomesAMetricTagHoweverTheRequestFailed() throws IOException {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String marker = Fixtures.unique("cfo");
        String whitelist = "/oxaas/v1/admin/contexts/" + context.id() + "/users/" + user.id() + "/whitelist/";
        // not valid HTTP: a bare LF in a header
        Answer bare = RawHttp.send("GET " + whitelist + marker + "@victim-corp.example HTTP/1.1\r\nHost: localhost\r\nX-Note: a\nb\r\n\r\n");
        assertEquals(400, bare.status());
        // refused by Vert.x' router (invalid percent-encoding), by the edge (405, 413), by the REST layer (404, 401)
        assertEquals(400, RawHttp.send("GET " + whitelist + marker + "%zz@victim-corp.example HTTP/1.1\r\nHost: localhost\r\n\r\n").status());
        Fixtures.as(context).request("PATCH", whitelist + marker + "1@victim-corp.example").then().statusCode(405);
        assertEquals(413, RawHttp.send("PUT " + whitelist + marker + "2@victim-corp.example HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n").status());
        Fixtures.as(context).get("/no/such/" + marker + "3").then().statusCode(404);
        Fixtures.anonymous().get("/oxaas/v1/admin/resellers/" + marker + "4").then().statusCode(401);
        Fixtures.as(context).get(whitelist + marker + "5@victim-corp.example").then().statusCode(200);

        String scraped = given().get(metrics.toString()).then().statusCode(200).extract().asString();
        assertFalse(scraped.contains(marker), "a raw path in the metrics: "
                + scraped.lines().filter(l -> l.contains(marker)).toList());
        Set<String> templates = new TreeSet<>();
        routes.routes().forEach(r -> templates.add(r.template()));
        Set<String> unknown = new TreeSet<>();
        Matcher m = URI_TAG.matcher(scraped);
        while (m.find()) {
            if (!templates.contains(m.group(1)) && !FIXED.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertTrue(unknown.isEmpty(), "uri tags that are no path template: " + unknown);
        assertTrue(scraped.contains("uri=\"/oxaas/v1/admin/contexts/{contextid}/users/{userid}/whitelist/{entry}\""),
                "served requests are counted by template");
        assertTrue(scraped.contains("uri=\"/UNMATCHED\""), "requests without a template are counted as UNMATCHED");
    }
}
