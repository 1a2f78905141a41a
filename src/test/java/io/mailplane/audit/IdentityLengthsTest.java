package io.mailplane.audit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.common.Addresses;
import io.mailplane.common.constraints.BrandName;
import io.mailplane.common.constraints.ContextName;
import io.mailplane.common.constraints.Label;
import io.mailplane.common.constraints.Login;
import io.mailplane.lists.ListService;
import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ResellerRef;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every stored identity has room for the longest value that validation lets through (issue 9,
 * item 5): the limits are read from the constraint annotations, not restated here.
 */
@QuarkusTest
class IdentityLengthsTest {

    private static int max(Class<? extends Annotation> constraint) {
        Size size = constraint.getAnnotation(Size.class);
        return size.max();
    }

    /** {@code prefix} padded with {@code fill} to exactly {@code length} characters. */
    private static String padded(String prefix, char fill, int length) {
        return prefix + String.valueOf(fill).repeat(length - prefix.length());
    }

    /** {@code shorter}: the context name is that much shorter than the longest (1: 256 characters in all, as in the report). */
    @ParameterizedTest(name = "context name {0} shorter than the longest")
    @ValueSource(ints = {0, 1})
    void shouldAuditAWriteByAContextAdminSignedInWithTheLongestLoginAndContextName(int shorter) {
        int loginMax = max(Login.class);
        int contextNameMax = max(ContextName.class) - shorter;
        ResellerRef reseller = Fixtures.reseller();
        String name = padded(Fixtures.unique("c"), 'n', contextNameMax);
        String admin = padded(Fixtures.unique("a"), 'l', loginMax);
        String password = Fixtures.secret();
        long contextId = Fixtures.as(reseller).body(Map.of("name", name, "adminLogin", admin, "adminPassword", password))
                .post("/oxaas/v1/admin/contexts")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        String domain = Fixtures.unique("d") + ".example";
        Fixtures.as(reseller).put("/oxaas/v1/admin/contexts/{cid}/domains/{domain}", contextId, domain).then().statusCode(201);

        String signIn = admin + "@" + name;
        assertEquals(loginMax + 1 + contextNameMax, signIn.length());
        String user = padded(Fixtures.unique("u"), 'x', loginMax);
        Fixtures.as(signIn, password)
                .body(Map.of("name", user, "password", Fixtures.secret(), "displayName", "User",
                        "primaryEmail", "info@" + domain))
                .post("/oxaas/v1/admin/contexts/{cid}/users", contextId)
                .then().statusCode(201);
        Fixtures.as(reseller).get("/oxaas/v1/admin/audit?limit=10")
                .then().statusCode(200)
                .body("find { it.action == 'user.create' }.actor", equalTo(signIn));
        assertEquals(signIn, Db.string("SELECT actor FROM audit_log WHERE context_id = ? AND action = 'user.create'", contextId));
    }

    @Test
    void shouldGiveEveryIdentityColumnRoomForTheLongestValidValue() {
        int login = max(Login.class);
        int signIn = login + 1 + max(ContextName.class);
        assertEquals(signIn, Login.MAX_SIGN_IN, "the sign-in limit follows from the constraints");
        record Column(String table, String column, int needed) {
        }
        List<Column> columns = List.of(
                new Column("audit_log", "actor", signIn),
                new Column("resellers", "name", login),
                new Column("resellers", "display_name", max(Label.class)),
                new Column("resellers", "brand", max(BrandName.class)),
                new Column("tenant_credentials", "login", login),
                new Column("login_claims", "login", login),
                new Column("contexts", "name", max(ContextName.class)),
                new Column("contexts", "admin_login", login),
                new Column("users", "uidname", login),
                new Column("users", "display_name", max(Label.class)),
                new Column("users", "primary_email", Addresses.MAX_ADDRESS),
                new Column("user_aliases", "address", Addresses.MAX_ADDRESS),
                new Column("groups_", "name", login),
                new Column("groups_", "display_name", max(Label.class)),
                new Column("mail_domains", "name", Addresses.MAX_DOMAIN),
                new Column("forwards", "alias", Addresses.MAX_ADDRESS),
                new Column("forward_recipients", "recipient", Addresses.MAX_ADDRESS),
                new Column("user_list_entries", "entry", ListService.MAX_ENTRY),
                new Column("mail_accounts", "email", Addresses.MAX_ADDRESS),
                new Column("mail_accounts", "email_domain", Addresses.MAX_DOMAIN));
        for (Column c : columns) {
            long length = Db.count("SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.columns "
                    + "WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?", c.table(), c.column());
            assertTrue(length >= c.needed(), c.table() + "." + c.column() + " holds " + length + " characters, needs " + c.needed());
        }
        assertEquals(2 + Addresses.MAX_DOMAIN, ListService.MAX_ENTRY);
    }
}
