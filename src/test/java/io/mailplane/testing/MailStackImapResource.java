package io.mailplane.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the test's own Dovecot and Postfix ({@link MailStack}) before the service and points mail
 * statistics ({@code mailplane.imap.*}) at its IMAP port and master user. Registered without
 * {@code restrictToAnnotatedClass}, so it is active for the whole suite.
 */
public class MailStackImapResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        MailStack stack = MailStack.get();
        // the service starts on an empty database (ids start again): its mailboxes start empty too
        stack.emptyMailboxes();
        return Map.of("mailplane.imap.host", stack.host(),
                "mailplane.imap.port", String.valueOf(stack.imapPort()),
                "mailplane.imap.tls", "none",
                "mailplane.imap.master-user", stack.masterUser(),
                "mailplane.imap.master-password", stack.masterPassword(),
                // for test profiles that switch to TLS (as ${mailstack...} expressions: a profile
                // runs in another class loader, where MailStack.get() would start a second stack)
                "mailstack.imaps-port", String.valueOf(stack.imapsPort()),
                "mailstack.truststore.path", stack.truststore().toString(),
                "mailstack.truststore.password", stack.truststorePassword());
    }

    @Override
    public void stop() {
        // the stack lives as long as the test JVM
    }
}
