package io.mailplane.mailstats;

import static org.hamcrest.Matchers.equalTo;

import io.mailplane.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** STARTTLS to Dovecot whose CA the service does not trust: the handshake fails, nothing falls back to plain text. */
@QuarkusTest
@TestProfile(TlsStatistics.UntrustedCa.class)
class MailStatsUntrustedTlsTest {
    @Test
    void aCertificateOfAnUnknownCaIs502AndNothingIsReadInPlainText() {
        TlsStatistics.Reader r = TlsStatistics.reader();
        Fixtures.as(r.login(), r.password()).get(r.path()).then().statusCode(502)
                .contentType("application/problem+json").body("code", equalTo("MAIL_SERVER_ERROR"))
                .body("detail", equalTo("The TLS handshake with the mail server failed."));
    }
}
