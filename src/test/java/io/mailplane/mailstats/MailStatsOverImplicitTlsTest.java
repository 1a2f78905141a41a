package io.mailplane.mailstats;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailplane.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Implicit TLS (imaps) to Dovecot with its private CA in {@code mailplane.imap.truststore}. */
@QuarkusTest
@TestProfile(TlsStatistics.ImplicitTls.class)
class MailStatsOverImplicitTlsTest {
    @Test
    void statisticsAreReadOverImplicitTlsWithThePrivateCaTrusted() throws IOException {
        TlsStatistics.Reader r = TlsStatistics.reader();
        Fixtures.as(r.login(), r.password()).get(r.path()).then().statusCode(200).body("mailQuota.limit", equalTo(50 * 1024));
        assertTrue(TlsStatistics.dovecotLoggedTlsLoginOf(r.address()), "Dovecot logged no TLS login into " + r.address());
    }
}
