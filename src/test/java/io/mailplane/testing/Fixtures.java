package io.mailplane.testing;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.http.HttpVersion;
import org.apache.http.conn.scheme.SchemeRegistry;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.http.impl.conn.BasicClientConnectionManager;
import org.apache.http.impl.conn.SchemeRegistryFactory;
import org.apache.http.params.BasicHttpParams;
import org.apache.http.params.HttpConnectionParams;
import org.apache.http.params.HttpProtocolParams;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates tenants through the public API. Every name is unique, so tests never depend on each
 * other or on what is already in the database.
 */
public final class Fixtures {
    public static final String MASTER_LOGIN = "master";
    public static final String MASTER_PASSWORD = "test-master-secret";
    /** Every password the tests use starts with this, so logs and responses can be scanned for it. */
    public static final String SECRET_MARK = "Sekr3t-";

    private Fixtures() {
    }

    /**
     * REST Assured makes a new Apache HTTP client for every request, and the default one reads its
     * version from a jar resource and builds a TLS context each time (a tenth of the test client's
     * CPU in the access matrix). These clients get the same defaults from parameters made here,
     * and share one scheme registry.
     */
    private static final SchemeRegistry SCHEMES = SchemeRegistryFactory.createDefault();
    private static final HttpClientConfig.HttpClientFactory CLIENTS = () -> {
        BasicHttpParams params = new BasicHttpParams();
        HttpProtocolParams.setVersion(params, HttpVersion.HTTP_1_1);
        HttpProtocolParams.setContentCharset(params, "ISO-8859-1");
        HttpProtocolParams.setUserAgent(params, "Apache-HttpClient (Mailplane tests)");
        HttpConnectionParams.setTcpNoDelay(params, true);
        HttpConnectionParams.setSocketBufferSize(params, 8192);
        return new DefaultHttpClient(new BasicClientConnectionManager(SCHEMES), params);
    };

    /** A request of REST Assured's current settings (Quarkus sets URL and timeouts per test) on a cheaply made client. */
    public static RequestSpecification given() {
        RestAssuredConfig config = RestAssured.config();
        return RestAssured.given().config(config.httpClient(config.getHttpClientConfig().httpClientFactory(CLIENTS)));
    }

    public record ResellerRef(long id, String name, String password, String brand) {
    }

    public record ContextRef(long id, String name, String adminLogin, String adminPassword, ResellerRef reseller) {
        /** The context's own mail domain (claimed when the fixture creates the context). */
        public String domain() {
            return name + ".example.com";
        }
    }

    public record UserRef(int id, String name, String password, String email, ContextRef context) {
    }

    public static String unique(String prefix) {
        return prefix + Long.toString(System.nanoTime(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
    }

    public static String secret() {
        return SECRET_MARK + unique("p");
    }

    public static RequestSpecification as(String login, String password) {
        return given().auth().preemptive().basic(login, password).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification asMaster() {
        return as(MASTER_LOGIN, MASTER_PASSWORD);
    }

    public static RequestSpecification as(ResellerRef reseller) {
        return as(reseller.name(), reseller.password());
    }

    /** The context admin, with the plain login (valid on paths that name the context). */
    public static RequestSpecification as(ContextRef context) {
        return as(context.adminLogin(), context.adminPassword());
    }

    /** The context admin as {@code login@contextName}, valid anywhere. */
    public static RequestSpecification asQualified(ContextRef context) {
        return as(context.adminLogin() + "@" + context.name(), context.adminPassword());
    }

    public static RequestSpecification as(UserRef user) {
        return as(user.name(), user.password());
    }

    public static ResellerRef reseller() {
        return createReseller(asMaster(), null);
    }

    public static ResellerRef subReseller(ResellerRef parent) {
        return createReseller(as(parent), null);
    }

    private static ResellerRef createReseller(RequestSpecification as, Long parentId) {
        String name = unique("res");
        String password = secret();
        String brand = name + ".brand";
        io.restassured.response.Response created = as.body(parentId == null
                        ? Map.of("name", name, "password", password, "displayName", "Reseller " + name, "brand", brand)
                        : Map.of("name", name, "password", password, "displayName", "Reseller " + name, "brand", brand, "parentId", parentId))
                .post("/oxaas/v1/admin/resellers")
                .then().statusCode(201)
                .extract().response();
        return new ResellerRef(Json.number(created, "id"), name, password, brand);
    }

    public static ContextRef context(ResellerRef reseller) {
        String name = unique("ctx");
        String password = secret();
        long id = Json.number(as(reseller).body(Map.of("name", name, "adminPassword", password))
                .post("/oxaas/v1/admin/contexts")
                .then().statusCode(201)
                .extract().response(), "id");
        ContextRef context = new ContextRef(id, name, "oxadmin", password, reseller);
        as(reseller).put("/oxaas/v1/admin/contexts/{cid}/domains/{domain}", id, context.domain()).then().statusCode(201);
        return context;
    }

    public static ContextRef context() {
        return context(reseller());
    }

    public static UserRef user(ContextRef context) {
        String local = unique("u");
        String login = local + "@" + context.domain();
        String password = secret();
        int id = Math.toIntExact(Json.number(as(context).body(Map.of("name", login, "password", password, "displayName", "User " + local,
                        "primaryEmail", login))
                .post("/oxaas/v1/admin/contexts/{cid}/users", context.id())
                .then().statusCode(201)
                .extract().response(), "id"));
        return new UserRef(id, login, password, login, context);
    }
}
