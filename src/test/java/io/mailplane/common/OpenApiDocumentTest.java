package io.mailplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code openapi/openapi.yaml} is what the code produces. To regenerate it:
 * {@code ./mvnw test -Dtest=OpenApiDocumentTest -Dmailplane.openapi.write=true}.
 */
@QuarkusTest
class OpenApiDocumentTest {
    private static final Path COMMITTED = Path.of("openapi", "openapi.yaml");

    /** The document is served on the management interface, not on the API port. */
    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    @Test
    void committedDocumentShouldMatchTheCode() throws IOException {
        String generated = given().accept("application/yaml").get(openapi.toString()).then().statusCode(200)
                .extract().asString();
        if (Boolean.getBoolean("mailplane.openapi.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertEquals(committed, generated, "openapi/openapi.yaml is stale: regenerate it with "
                + "./mvnw test -Dtest=OpenApiDocumentTest -Dmailplane.openapi.write=true and commit it");
    }

    @Test
    void documentShouldNameTheFiveOxSecuritySchemes() {
        given().accept("application/json").get(openapi + "?format=json").then().statusCode(200)
                .body("components.securitySchemes.keySet()", hasItems("basicAuth", "contextAdminAuth",
                        "contextAdminOnlyAuth", "resellerAdminAuth", "tennantAuth"))
                .body("paths.'/oxaas/v1/admin/contexts/{contextid}/users'.post.security[0].keySet()", hasItems("contextAdminAuth"))
                .body("paths.'/oxaas/v1/admin/resellers'.post.security[0].keySet()", hasItems("resellerAdminAuth"));
    }
}
