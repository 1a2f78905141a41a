package io.mailplane.mailaccounts;

import static io.mailplane.mailaccounts.AccountMergeTest.EMAIL;
import static io.mailplane.mailaccounts.AccountMergeTest.NEW;
import static io.mailplane.mailaccounts.AccountMergeTest.USER_PK;
import static io.mailplane.mailaccounts.AccountMergeTest.fields;
import static io.mailplane.mailaccounts.AccountMergeTest.request;
import static io.mailplane.mailaccounts.AccountMergeTest.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mailplane.mailaccounts.ServerSettings.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a verified draft lands on the stored row, and how the stored settings are read back for verification. */
class AccountMergeApplyTest {
    @Test
    void shouldWriteADraftOntoANewAccountWithSealedSecrets() {
        AccountDraft draft = AccountMerge.merge(EMAIL, request(fields("password", "pw", "name", "Jo")), NEW, AccountMergeTest::open);
        MailAccount a = new MailAccount();
        AccountMerge.apply(draft, a, USER_PK, (plain, context) -> "sealed:" + plain + "@" + context);
        assertEquals(List.of(USER_PK, EMAIL, "example.net", "Jo", true), List.of(a.userPk, a.email, a.emailDomain, a.name, a.enabled));
        assertEquals("sealed:pw@" + MailAccount.secretContext(USER_PK, EMAIL, "in"), a.inSecret);
        assertEquals("sealed:pw@" + MailAccount.secretContext(USER_PK, EMAIL, "smtp"), a.smtpSecret);
        assertEquals(List.of(143, 587, EMAIL), List.of(a.inPort, a.smtpPort, a.smtpLogin));
    }

    @Test
    void shouldKeepTheStoredNameStateAndSignatureWhenADraftNamesNothing() {
        MailAccount a = stored(s -> {
            s.enabled = false;
            s.signatureHtml = "<b>Jo</b>";
        });
        AccountDraft simple = new AccountDraft(EMAIL, null, true, true,
                new ServerSettings(Side.IMAP, "imap.example.net", 993, EMAIL, "pw", Encryption.SSL, AuthType.Login, true),
                new ServerSettings(Side.SMTP, "smtp.example.net", 465, EMAIL, "pw", Encryption.SSL, AuthType.Login, true));
        AccountMerge.apply(simple, a, USER_PK, (plain, context) -> "sealed:" + plain);
        assertEquals(List.of("Stored", false, "<b>Jo</b>", true, 993), List.of(a.name, a.enabled, a.signatureHtml, a.imap, a.inPort));
    }

    @Test
    void shouldStoreNoSmtpLoginOrSecretWhenSmtpDoesNotAuthenticate() {
        AccountDraft draft = AccountMerge.merge(EMAIL, request(fields("password", "pw", "smtp_auth", false)), NEW, AccountMergeTest::open);
        MailAccount a = new MailAccount();
        AccountMerge.apply(draft, a, USER_PK, (plain, context) -> "sealed:" + plain);
        assertNull(a.smtpLogin);
        assertNull(a.smtpSecret);
        assertEquals(false, a.smtpAuth);
    }

    @Test
    void shouldReadTheStoredSettingsOfEachSideForVerification() {
        MailAccount a = stored();
        ServerSettings in = AccountMerge.stored(a, Side.POP3, AccountMergeTest::open);
        ServerSettings smtp = AccountMerge.stored(a, Side.SMTP, AccountMergeTest::open);
        assertEquals(new ServerSettings(Side.POP3, "pop.example.net", 1995, "jo", "in-old", Encryption.SSL, AuthType.Login, true), in);
        assertEquals(new ServerSettings(Side.SMTP, "smtp.example.net", 1587, "jo-smtp", "smtp-old", Encryption.StartTLS, AuthType.Login, true), smtp);
    }
}
