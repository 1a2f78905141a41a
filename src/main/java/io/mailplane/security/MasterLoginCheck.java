package io.mailplane.security;

import io.mailplane.common.MailplaneConfig;
import io.mailplane.common.constraints.Login;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Validator;

/**
 * The master login is a login like every other ({@link Login}): the audit log stores it as the
 * actor, and the other realms' logins are kept apart from it. The service does not start with
 * one that is not.
 */
public class MasterLoginCheck {
    record Master(@Login String login) {
    }

    void check(@Observes StartupEvent event, Validator validator,
               MailplaneConfig config) {
        if (!validator.validate(new Master(config.master().login())).isEmpty()) {
            throw new IllegalStateException("MAILPLANE_MASTER_LOGIN (mailplane.master.login) must be a valid login: "
                    + "1-" + Login.MAX + " characters of letters, digits and . _ @ + -, starting with a letter or digit");
        }
    }
}
