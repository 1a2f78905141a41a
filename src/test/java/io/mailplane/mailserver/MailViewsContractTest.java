package io.mailplane.mailserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.testing.Db;
import io.mailplane.testing.Fixtures;
import io.mailplane.testing.Fixtures.ContextRef;
import io.mailplane.testing.Fixtures.UserRef;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The versioned views Postfix and Dovecot read (V10__mailserver_views.sql) exist with their
 * contract columns, and answer what the API wrote. A later migration that breaks this test breaks
 * every operator's mail servers.
 */
@QuarkusTest
class MailViewsContractTest {

    private static String columns(String view) {
        return Db.string("SELECT GROUP_CONCAT(column_name ORDER BY ordinal_position SEPARATOR ',') FROM information_schema.columns"
                + " WHERE table_schema = DATABASE() AND table_name = ?", view);
    }

    @Test
    void theMailServerViewsHaveTheirContractColumns() {
        Map<String, String> contract = Map.of(
                "mailserver_v1_domains", "domain,kind,context_id,reseller_id",
                "mailserver_v1_mailboxes", "username,password,home,quota_mb,quota_bytes,context_id,user_id,uidname,imap,pop3,standard_folders",
                "mailserver_v1_addresses", "address,mailbox,kind,context_id",
                "mailserver_v1_aliases", "alias,recipient,context_id",
                "mail_last_login", "username,last_login");
        contract.forEach((view, expected) -> assertEquals(expected, columns(view), view));
        for (String view : List.of("mailserver_v1_domains", "mailserver_v1_mailboxes", "mailserver_v1_addresses", "mailserver_v1_aliases")) {
            assertEquals(1, Db.count("SELECT COUNT(*) FROM information_schema.views WHERE table_schema = DATABASE() AND table_name = ?", view), view);
        }
    }

    @Test
    void theViewsAnswerWhatTheApiWrote() {
        ContextRef context = Fixtures.context();
        UserRef user = Fixtures.user(context);
        String alias = Fixtures.unique("al") + "@" + context.domain();
        String forward = Fixtures.unique("fw") + "@" + context.domain();
        Fixtures.as(context).put("/oxaas/v1/admin/contexts/{cid}/users/{uid}/aliases/{alias}", context.id(), user.id(), alias)
                .then().statusCode(200);
        Fixtures.as(context).body(List.of(user.email(), "a-someone@elsewhere.example")).put("/oxaas/v1/admin/forwards/{cid}/{alias}", context.id(), forward)
                .then().statusCode(201);
        Fixtures.as(context).body(Map.of("quotaMb", 25)).put("/oxaas/v1/admin/contexts/{cid}/users/{uid}", context.id(), user.id())
                .then().statusCode(200);

        assertEquals("context:" + context.id(), Db.string("SELECT CONCAT(kind, ':', context_id) FROM mailserver_v1_domains WHERE domain = ?", context.domain()));
        assertEquals(user.email().toLowerCase(java.util.Locale.ROOT) + ";25;26214400;{ARGON2ID}",
                Db.string("SELECT CONCAT(username, ';', quota_mb, ';', quota_bytes, ';', LEFT(password, 10)) FROM mailserver_v1_mailboxes"
                        + " WHERE context_id = ? AND user_id = ?", context.id(), user.id()));
        assertEquals(user.email() + ">primary," + alias + ">alias",
                Db.string("SELECT GROUP_CONCAT(CONCAT(address, '>', kind) ORDER BY kind DESC SEPARATOR ',') FROM mailserver_v1_addresses WHERE mailbox = ?",
                        user.email().toLowerCase(java.util.Locale.ROOT)));
        assertEquals("a-someone@elsewhere.example," + user.email(),
                Db.string("SELECT GROUP_CONCAT(recipient ORDER BY recipient SEPARATOR ',') FROM mailserver_v1_aliases WHERE alias = ?", forward));
    }
}
