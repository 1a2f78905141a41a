package io.mailplane.security;

import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;

/** The identity of a caller: every account its credentials opened. */
final class Identities {
    static final String ACCOUNTS = "mailplane.accounts";

    private Identities() {
    }

    static SecurityIdentity of(String login, List<Account> accounts) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(login))
                .addAttribute(ACCOUNTS, accounts);
        accounts.forEach(a -> builder.addRole(a.realm().name()));
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    static List<Account> accounts(SecurityIdentity identity) {
        Object accounts = identity.getAttribute(ACCOUNTS);
        return accounts == null ? List.of() : (List<Account>) accounts;
    }
}
