package io.mailplane.mailstats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.mailstats.MailStatsTest.Mailbox;
import io.mailplane.mailstats.TestMailboxes.Append;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * With {@code mailplane.imap.session-max-idle=0} no session is kept: every statistics request logs
 * in to Dovecot (here over implicit TLS: the profile is shared with {@link MailStatsOverImplicitTlsTest}).
 */
@QuarkusTest
@TestProfile(TlsStatistics.ImplicitTls.class)
class MailStatsWithoutSessionReuseTest {

    @Inject
    MeterRegistry registry;

    @Test
    void everyRequestLogsInAndNoSessionWaits() throws Exception {
        Mailbox box = MailStatsTest.mailbox(100);
        String address = box.user().email();
        TestMailboxes.append(address, new Append("INBOX", "one", Instant.now().minusSeconds(60), false));
        MailStatsSessionReuseTest.assertDovecotLogins(1, address); // the APPEND's own login

        assertEquals(1, box.get("unread/inbox").getInt("newmessages"));
        assertEquals(1, box.get("all").getInt("recentmessages.total"));
        assertEquals(1, box.get("unread/inbox").getInt("newmessages"));

        MailStatsSessionReuseTest.assertDovecotLogins(1 + 3, address);
        assertEquals(0, registry.get("mailplane.imap.sessions").tag("login", "reused").counter().count());
        assertEquals(0, registry.get("mailplane.imap.sessions.idle").gauge().value());
    }
}
